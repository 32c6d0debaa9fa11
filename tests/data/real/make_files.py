"""Write the corpus files of ``reports.json``: each real report in the shape it is published in.

The figures, labels and figure sentences are the hand transcription in ``reports.json``; this script
only lays them out the way the report's site or office does (``shape``):

- ``hanweb-utf8``: the Jiangsu county sites' CMS page (沭阳, 宿迁): navigation, the 名称/索引号 info table,
  ``<h1><ucaptitle>``, body paragraphs as span/font soup, blank cells as ``<o:p> </o:p>``, the 落款
  indented with spaces, the footer in an iframe.
- ``cms-gbk``: a district site's older CMS page served as GB2312: layout tables, breadcrumbs, 发布时间,
  【字体：大 中 小】, 【打印本页】【关闭窗口】, 分享到, and a 主办/网站标识码/ICP footer.
- ``shanghai-utf8``: the Shanghai government site's article page (centred bold title, 发布日期 line,
  ``nowrap`` cells with ``&nbsp;`` blanks, 字号 and share bars, footer).
- ``docx-word``: the report as the office's Word file (title lines, headings, merged table cells).

Run it after editing ``reports.json``: ``python tests/data/real/make_files.py``.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

HERE = Path(__file__).parent
T3_ROWS = [
    ("new", "一、本年新收政府信息公开申请数量"), ("carried_in", "二、上年结转政府信息公开申请数量"),
    ("result.granted", "（一）予以公开"), ("result.partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("result.denied.state_secret", "1.属于国家秘密"), ("result.denied.law_prohibited", "2.其他法律行政法规禁止公开"),
    ("result.denied.security_stability", "3.危及“三安全一稳定”"), ("result.denied.third_party", "4.保护第三方合法权益"),
    ("result.denied.internal_affairs", "5.属于三类内部事务信息"), ("result.denied.process_info", "6.属于四类过程性信息"),
    ("result.denied.enforcement_file", "7.属于行政执法案卷"), ("result.denied.admin_query", "8.属于行政查询事项"),
    ("result.unable.not_held", "1.本机关不掌握相关政府信息"), ("result.unable.needs_creation", "2.没有现成信息需要另行制作"),
    ("result.unable.unclear", "3.补正后申请内容仍不明确"),
    ("result.not_processed.petition", "1.信访举报投诉类申请"), ("result.not_processed.repeated", "2.重复申请"),
    ("result.not_processed.publication", "3.要求提供公开出版物"),
    ("result.not_processed.mass_repeated", "4.无正当理由大量反复申请"),
    ("result.not_processed.confirm_reissue", "5.要求行政机关确认或重新出具已获取信息"),
    ("result.other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("result.other.fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("result.other.other", "3.其他"), ("result.total", "（七）总计"), ("carried_out", "四、结转下年度继续办理"),
]
GROUPS = {"result.denied": "（三）不予公开", "result.unable": "（四）无法提供", "result.not_processed": "（五）不予处理",
          "result.other": "（六）其他处理"}
HEADINGS = {"t2": "二、主动公开政府信息情况", "t3": "三、收到和处理政府信息公开申请情况",
            "t4": "四、政府信息公开行政复议、行政诉讼情况"}

Cell = tuple  # (text, rowspan, colspan)


# --- the printed tables as grids of (text, rowspan, colspan) rows ---------------------------------
def t2_grid(case: dict) -> list[list[Cell]]:
    if "t2_grid" in case:
        return [[(t, 1, cs) for t, cs in row] for row in case["t2_grid"]]
    t = case["t2"]
    return [
        [("第二十条第（一）项", 1, 4)],
        [("信息内容", 1, 1), ("本年制发件数", 1, 1), ("本年废止件数", 1, 1), ("现行有效件数", 1, 1)],
        [("规章", 1, 1), *[(v, 1, 1) for v in t["regulation"]]],
        [(t.get("normative_label", "行政规范性文件"), 1, 1), *[(v, 1, 1) for v in t["normative_doc"]]],
        [("第二十条第（五）项", 1, 4)],
        [("信息内容", 1, 1), ("本年处理决定数量", 1, 3)],
        [("行政许可", 1, 1), (t["licensing"], 1, 3)],
        [("第二十条第（六）项", 1, 4)],
        [("信息内容", 1, 1), ("本年处理决定数量", 1, 3)],
        [("行政处罚", 1, 1), (t["penalty"], 1, 3)],
        [("行政强制", 1, 1), (t["coercion"], 1, 3)],
        [("第二十条第（八）项", 1, 4)],
        [("信息内容", 1, 1), ("本年收费金额（单位：万元）", 1, 3)],
        [("行政事业性收费", 1, 1), (t["fee"], 1, 3)],
    ]


def t3_grid(case: dict) -> list[list[Cell]]:
    labels = dict(T3_ROWS) | case.get("t3_labels", {})
    merged = case.get("t3_merged_other", False)
    rows = [k for k, _ in T3_ROWS if not (merged and k in ("result.other.no_correction", "result.other.fee_unpaid"))]
    results = [k for k in rows if k.startswith("result.")]
    grid: list[list[Cell]] = [
        [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), ("申请人情况", 1, 7)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        [("商业企业", 1, 1), ("科研机构", 1, 1), ("社会公益组织", 1, 1), ("法律服务机构", 1, 1), ("其他", 1, 1)],
    ]
    seen: set[str] = set()
    for key in rows:
        values = [(v, 1, 1) for v in case["t3"][key]]
        if key in ("new", "carried_in", "carried_out"):
            grid.append([(labels[key], 1, 3), *values])
            continue
        row: list[Cell] = []
        if key == results[0]:
            row.append(("三、本年度办理结果", len(results), 1))
        group = key.rsplit(".", 1)[0]
        if group in GROUPS and not (merged and group == "result.other"):
            if group not in seen:
                seen.add(group)
                row.append((GROUPS[group], sum(1 for k in rows if k.startswith(group + ".")), 1))
            row.append((labels[key], 1, 1))
        elif merged and key == "result.other.other":
            row.append(("（六）其他处理", 1, 2))
        else:
            row.append((labels[key], 1, 2))
        grid.append([*row, *values])
    return grid


def t4_grid(case: dict) -> list[list[Cell]]:
    parts = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
        [*[(p, 2, 1) for p in parts], ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
        [*[(p, 1, 1) for p in parts], *[(p, 1, 1) for p in parts]],
        [(v, 1, 1) for v in case["t4"]],
    ]


def positions(grid: list[list[Cell]]) -> list[list[tuple[int, Cell]]]:
    """Each row's cells with their first column, as an HTML table places them."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(grid):
        c, placed = 0, []
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((c, cell))
            for rr in range(r, r + cell[1]):
                for cc in range(c, c + cell[2]):
                    taken.add((rr, cc))
            c += cell[2]
        out.append(placed)
    return out


def paragraphs(case: dict) -> list[tuple[str, str]]:
    """(kind, text) of the report body in reading order: heading, para, table:<id>, sign."""
    out: list[tuple[str, str]] = [("para", p) for p in case.get("preface", [])]
    out.append(("heading", "一、总体情况"))
    out += [("para", p) for p in case["s1"]]
    for tid in ("t2", "t3", "t4"):
        out += [("heading", HEADINGS[tid]), ("table", tid)]
    out.append(("heading", case.get("s5_heading", "五、存在的主要问题及改进情况")))
    out += [("para", p) for p in case["s5"]]
    out.append(("heading", "六、其他需要报告的事项"))
    out += [("para", p) for p in case["s6"]]
    if case.get("signature"):
        out += [("sign", line) for line in case["signature"]]
    return out


GRIDS = {"t2": t2_grid, "t3": t3_grid, "t4": t4_grid}


# --- HTML shapes ------------------------------------------------------------------------------------
def e(text: str) -> str:
    return html.escape(text, quote=False)


def hanweb(case: dict) -> bytes:
    font = 'style="font-family: 微软雅黑;"'
    pstyle = 'style="text-indent: 2em; text-align: justify; line-height: 2; font-family: 微软雅黑;" align=""'

    def soup(text: str, face: str = "方正仿宋_GBK") -> str:
        # CMS soup: digits in their own runs, the rest in <font face>
        parts, run, digit = [], "", None
        for ch in text:
            d = ch.isdigit()
            if digit is not None and d != digit:
                parts.append((run, digit))
                run = ""
            run += ch
            digit = d
        if run:
            parts.append((run, digit))
        inner = "".join(e(t) if d else f'<font {font} face="{face}">{e(t)}</font>' for t, d in parts)
        return f'<p {pstyle}><span {font}>{inner}</span><span {font}><o:p></o:p></span></p>'

    def cell(text: str, rs: int, cs: int) -> str:
        attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
        body = f'<span {font}>{e(text)}</span>' if text.strip() else f"<span {font}><o:p> </o:p></span>"
        return (f'<td{attrs} {font} valign="center">\n      <p style="text-align: justify; line-height: 2; '
                f'font-family: 微软雅黑;" align="">{body}<span {font}><o:p></o:p></span></p>\n      </td>')

    body = []
    for kind, text in paragraphs(case):
        if kind == "heading":
            face = "方正黑体_GBK"
            body.append(soup(text, face))
        elif kind == "para":
            face = "方正楷体_GBK" if text.startswith("（") and len(text) < 30 else "方正仿宋_GBK"
            body.append(soup(text, face))
        elif kind == "table":
            rows = "".join("    <tr>\n" + "\n".join(cell(*c) for c in row) + "\n    </tr>\n"
                           for row in GRIDS[text](case))
            body.append(f'<div {pstyle}>\n<table style="BORDER-COLLAPSE:collapse" cellspacing="0" cellpadding="2" '
                        f'bordercolor="#000000" border="1">\n  <tbody>\n{rows}  </tbody>\n</table>\n</div>')
        else:  # the 落款, pushed right with spaces as the CMS editor does
            body.append(f'<p {pstyle}><span {font}><o:p>{" " * 118}{e(text)}</o:p></span></p>')
    s = case["site"]
    title = case["title_lines"][0]
    date = f'<p style="text-align:center">{e(case["date_under_title"])}</p>' if case.get("date_under_title") else ""
    page = f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="SiteName" content="{s['name']}">
<meta name="ColumnName" content="政府信息公开年报">
<title>{e(title)}-{e(s['column'])}</title>
<link rel="stylesheet" type="text/css" href="/shuyang/xhtml/css/common.css">
<script type="text/javascript" src="/shuyang/xhtml/js/jquery.min.js"></script>
</head>
<body>
<div class="header-t"><div class="container"><div class="fl"><span id="utime">2025年12月30日	星期二</span></div>
<div class="header-menu fr"><ul class="fl"><li><h4><a class="jft" href="javascript:void(0);">繁體版</a></h4></li>
<li class="wza"><h4><a href="javascript:;">无障碍</a></h4></li><li class="wza"><h4><a href="javascript:;">适老化</a></h4></li>
<li class="wza"><h4><a href="/shuyang/znwd/znwd.shtml">智能问答</a></h4></li></ul></div></div></div>
<div class="header-ban"><div class="container"><div class="header-logo"><div class="logo"><img src="/shuyang/xhtml/images/logo.png" alt=""></div></div>
<div class="header-search"><form action="/search4/s" method="post" name="form1"><input name="searchWord" type="text" placeholder="请输入关键词"><input type="submit" value=""></form></div></div>
<div class="mainNav"><div class="container"><ul class="clearfix">
<li class="nav0"><a href="/shuyang/index.shtml">首页</a></li><li class="nav1"><a href="/shuyang/zjsy/zjsy.shtml">走进沭阳</a></li>
<li class="nav2"><a href="/shuyang/bsfw/bsfw.shtml">办事服务</a></li><li class="nav3"><a href="/shuyang/zmhd/zmhd.shtml">政民互动</a></li>
<li class="nav4"><a href="/shuyang/xxgk/xxgk.shtml">政府信息公开</a></li><li class="nav5"><a href="/shuyang/sjkf/sjfb.shtml">数据开放</a></li>
</ul></div></div></div>
<div class="xxgkMain"><div class="container">
<h2 class="siteTit">{e(s['column'])}</h2>
<div class="xxgkHead"><h3 class="pageTit">政府信息公开</h3></div>
<div class="xxgkCon clearfix"><div class="xxgkArticle">
<div class="article-tb"><table class="table_content"><tbody>
<tr><td class="c1" align="center">名称</td><td class="c4" colspan="3" align="left">{e(title)}</td></tr>
<tr><td class="c1" align="center">索引号</td><td class="c2" align="left">{s['index']}</td><td class="c1" align="center">分类</td><td class="c3" align="left">信息公开年报&nbsp;&nbsp;其他&nbsp;&nbsp;报告</td></tr>
<tr><td class="c1" align="center">发布机构</td><td class="c2" align="left">{e(s['publisher'])}</td><td class="c1" align="center">公开日期</td><td class="c3" align="left"><publishtime>{s['published']}</publishtime></td></tr>
<tr><td class="c1" align="center">文号</td><td class="c2" align="left"></td><td class="c1" align="center">关键词</td><td class="c3" align="left"></td></tr>
<tr><td class="c1" align="center">文件下载</td><td class="c4" colspan="3" align="left"></td></tr>
<tr><td class="c1" align="center">时效</td><td class="c4" colspan="3" align="left"></td></tr>
</tbody></table></div>
<div class="xxgkcont clearfix"><div class="xxfkl l" style="width: 100%;">
<h1 class="article-title"><ucaptitle>{e(title)}</ucaptitle></h1>
{date}
<div class="article-content" id="zoomcon"><ucapcontent>{"".join(body)}</ucapcontent></div>
</div></div>
</div></div></div></div>
<script src="/sygfj/xhtml/zwgkjs/jump.js"></script>
<iframe src="/shuyang/footer/footer.shtml" frameborder="0" width="100%" id="adbottom" class="adbottom" scrolling="no"></iframe>
</body>
</html>
"""
    return page.encode("utf-8")


def cms_gbk(case: dict) -> bytes:
    s = case["site"]
    title = "".join(case["title_lines"])

    def cell(text: str, rs: int, cs: int) -> str:
        attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
        shown = e(text) if text.strip() else "&nbsp;"
        if len(text) > 8 and not text.isdigit():  # long labels wrap where the editor broke them
            shown = e(text[:len(text) // 2]) + "<br>" + e(text[len(text) // 2:])
        return f'<td{attrs} valign="middle"><p align="center"><span style="font-size:10.5pt">{shown}</span></p></td>'

    body = [f'<p align="center"><strong><span style="font-size:22pt">{e(line)}</span></strong></p>'
            for line in case["title_lines"]]
    for kind, text in paragraphs(case):
        if kind == "heading":
            body.append(f'<p style="text-indent:2em"><strong>{e(text)}</strong></p>')
        elif kind == "para":
            body.append(f'<p style="text-indent:2em">{e(text)}</p>')
        elif kind == "table":
            rows = "".join("<tr>" + "".join(cell(*c) for c in row) + "</tr>\n" for row in GRIDS[text](case))
            body.append(f'<table border="1" cellspacing="0" cellpadding="0" width="600" align="center">\n{rows}</table>')
        else:
            body.append(f'<p align="right">{e(text)}</p>')
    page = f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{e(title)}_{e(s['name'])}</title>
<link href="/images/style.css" rel="stylesheet" type="text/css">
</head>
<body>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td class="top"><a href="/">首页</a> | <a href="/col/zwgk/">政务公开</a> | <a href="/col/xxgk/">政府信息公开</a> | <a href="/col/bsfw/">办事服务</a> | <a href="/col/hdjl/">互动交流</a></td></tr>
</table>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td width="220" valign="top" class="left"><div class="lm">政府信息公开</div><ul><li>政府信息公开指南</li><li>政府信息公开制度</li><li>法定主动公开内容</li><li>政府信息公开年报</li></ul></td>
<td valign="top">
<div class="dqwz">您现在的位置：<a href="/">首页</a> &gt; <a href="/col/xxgk/">政府信息公开</a> &gt; 政府信息公开年报</div>
<div class="bt">{e(title)}</div>
<div class="xx">发布时间：{s['published']}&nbsp;&nbsp;&nbsp;来源：{e(s['host'])}&nbsp;&nbsp;&nbsp;浏览次数：<span id="hits">1024</span>&nbsp;&nbsp;&nbsp;【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div>
<div class="zw" id="zoom">
{chr(10).join(body)}
</div>
<div class="gn">【<a href="javascript:window.print()">打印本页</a>】&nbsp;&nbsp;【<a href="javascript:window.close()">关闭窗口</a>】</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
</td></tr>
</table>
<div class="footer">
<p>主办：{e(s['host'])}&nbsp;&nbsp;承办：{e(s['name'])}大数据中心</p>
<p>网站标识码：{s['code']}&nbsp;&nbsp;{s['icp']}&nbsp;&nbsp;苏公网安备 32080002000123号</p>
<p>建议使用1024×768分辨率 IE8.0以上版本浏览器</p>
</div>
</body>
</html>
"""
    return page.encode("gbk")  # declared gb2312, served as GBK (a superset) as such sites do


def shanghai(case: dict) -> bytes:
    def cell(text: str, rs: int, cs: int) -> str:
        attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
        inner = f'<p align="center">{e(text)}</p>' if text.strip() else '<p align="center">&nbsp;</p>'
        return f'<td{attrs} nowrap="nowrap">{inner}</td>'

    title = case["title_lines"][0]
    body = [f"<p style='text-align: center;font-weight: bold;'>{e(title)}</p>",
            f"<p style='text-align: center'>发布日期：{case['site']['published']}</p>"]
    for kind, text in paragraphs(case):
        if kind in ("heading", "para", "sign"):
            body.append(f"<p>{e(text)}</p>")
        else:
            rows = "".join("<tr>" + "".join(cell(*c) for c in row) + "</tr>" for row in GRIDS[text](case))
            body.append(f'<table align="center" border="1" cellspacing="1"><tbody>{rows}</tbody></table>')
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{e(title)}</title>
</head>
<body>
<div class="header"><div class="nav"><a href="/">首页</a><a href="/nw2/">要闻动态</a><a href="/nw12344/">政务公开</a><a href="/nw4411/">政务服务</a><a href="/nw2315/">走进上海</a></div></div>
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/nw12344/">政务公开</a> &gt; 政府信息公开年报</div>
<div class="article">
<div class="tools">字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></div>
<div id="ivs_content" class="Article_content">
{"".join(body)}
</div>
<div class="bottom-tools"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
<div class="bdsharebuttonbox">分享到：<a class="bds_weixin">微信</a><a class="bds_tsina">微博</a></div>
</div>
<div class="footer"><p>主办：上海市人民政府办公厅 承办：上海市大数据中心</p><p>网站标识码：3100000008 沪ICP备05004670号-3</p></div>
</body>
</html>
"""
    return page.encode("utf-8")


# --- DOCX --------------------------------------------------------------------------------------------
def word(case: dict, path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    for line in case["title_lines"]:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(line)
        run.bold, run.font.size, run.font.name = True, Pt(22), "方正小标宋简体"
    if case.get("date_under_title"):
        doc.add_paragraph(case["date_under_title"]).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in paragraphs(case):
        if kind == "table":
            grid = GRIDS[text](case)
            placed = positions(grid)
            width = max(c + cell[2] for row in placed for c, cell in row)
            table = doc.add_table(rows=len(grid), cols=width)
            table.style = "Table Grid"
            cells = [list(r.cells) for r in table.rows]
            for r, row in enumerate(placed):
                for c, (t, rs, cs) in row:
                    target = cells[r][c]
                    if case.get("cell_style") == "gongshu" and "\n" not in t and len(t) == 4 and not t.strip().isdigit():
                        t = t[:2] + "\n" + t[2:]  # 商业\n企业: the label wraps inside its cell
                    lines = t.split("\n")
                    target.paragraphs[0].add_run(lines[0])
                    for more in lines[1:]:
                        target.add_paragraph(more)
                    if rs > 1 or cs > 1:
                        target.merge(cells[r + rs - 1][c + cs - 1])
        elif kind == "heading":
            run = doc.add_paragraph().add_run(text)
            run.bold = True
        elif kind == "sign":
            doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            doc.add_paragraph(text)
    doc.save(path)


SHAPES = {"hanweb-utf8": hanweb, "cms-gbk": cms_gbk, "shanghai-utf8": shanghai}


def main() -> None:
    data = json.loads((HERE / "reports.json").read_text(encoding="utf-8"))
    for case in data["cases"]:
        path = HERE / case["file"]
        if case["shape"] == "docx-word":
            word(case, path)
        else:
            path.write_bytes(SHAPES[case["shape"]](case))
        print(path.name)


if __name__ == "__main__":
    main()
