"""Chinese for option colours: the palette (engine/fieldtypes/choices.py COLORS) and the form
designer's colour picker (engine/ui/designer_texts/form.py, js/designer/form-colors.js)."""
ZH = {
    "Blue": "蓝色",
    "Green": "绿色",
    "Teal": "青色",
    "Orange": "橙色",
    "Red": "红色",
    "Purple": "紫色",
    "Grey": "灰色",
    "No colour": "无颜色",
    "Colour of option {n}": "选项 {n} 的颜色",
    "colour an option": "设置选项颜色",
}
