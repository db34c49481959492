"""Chinese for the rating field type (engine/fieldtypes/rating.py)."""
ZH = {
    "Rating": "评分",
    "%(n)s of %(scale)s stars": "%(n)s 星（满分 %(scale)s 星）",
    "No rating": "不评分",
    "must be a whole number from 1 to %(scale)s": "须为 1 到 %(scale)s 的整数",
    "a whole number from 1 to %(scale)s": "1 到 %(scale)s 的整数",
    "default %(value)s is outside 1 to %(scale)s": "默认值 %(value)s 不在 1 到 %(scale)s 之间",
}
