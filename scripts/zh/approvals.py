"""Chinese for the approval, participation and table-row messages (issue 10: 2, 8, 27, 29)."""
ZH = {
    "you may not decide on your own record; hand the task on": "不能审批自己的记录，请转交他人",
    "%(name)s submitted or owns this record and may not approve it": "%(name)s 是该记录的提交人或负责人，不能审批",
}
