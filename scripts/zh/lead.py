ZH = {"in use": "在用"}
