# Writes the workbooks of this case (run once; the .xlsx files are
# committed so the test needs no openpyxl):
#   /usr/bin/python3 make_xlsx.py
# survey.xlsx is written by openpyxl (a real spreadsheet library: inline
# strings, dates with its number formats, a merged header, two sheets);
# shared.xlsx is written by hand the way Excel writes one (shared strings
# with rich-text runs and phonetic runs, builtin date formats, booleans,
# errors, formulas, a row left out, cells without references).
import datetime
import zipfile

import openpyxl

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "תשובות"
ws.append(["id", "submitted", "score", "consent", "q_good", "q_bad"])
ws.append(["מזהה", "נשלח", "ציון", None, "מה עבד ומה לא? / What worked, what did not?", None])
ws.merge_cells("E2:F2")
ws.append(["r1", datetime.datetime(2021, 12, 6, 10, 28), 4.5, True,
           "הכלים המעשיים, בעיקר", "Too short"])
ws.append(["r2", datetime.date(2022, 1, 3), 3, False,
           "Meeting the other municipalities", None])
ws.append([None] * 6)
ws.append(["r3", 44536.4361111, 0.1 + 0.2, None, "שקיפות ונתונים", "אין זמן"])
ws["B6"].number_format = "d mmm yyyy, h:mm AM/PM"
ws2 = wb.create_sheet("Wave 2")
ws2.append(["id", "note"])
ws2.append(["r1", "follow-up call"])
ws2.append(["r4", "שיחה נוספת"])
wb.save("survey.xlsx")

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
files = {
    "[Content_Types].xml":
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/></Types>',
    "xl/workbook.xml":
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook %s %s><workbookPr/><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
        '<sheet name="גיליון2" sheetId="2" r:id="rId2"/>'
        '<sheet name="formats" sheetId="3" r:id="rId5"/>'
        '</sheets></workbook>' % (NS, R),
    "xl/_rels/workbook.xml.rels":
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="%sworksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="%sworksheet" Target="/xl/worksheets/sheet2.xml"/>'
        '<Relationship Id="rId3" Type="%ssharedStrings" Target="sharedStrings.xml"/>'
        '<Relationship Id="rId4" Type="%sstyles" Target="styles.xml"/>'
        '<Relationship Id="rId5" Type="%sworksheet" Target="worksheets/sheet3.xml"/>'
        '</Relationships>' % (REL, REL, REL, REL, REL),
    "xl/styles.xml":
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
        ('<styleSheet %s><numFmts count="7">'
        '<numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/>'
        '<numFmt numFmtId="165" formatCode="dddd, mmmm d, yyyy"/>'
        '<numFmt numFmtId="166" formatCode="yyyy-mm-dd hh:mm:ss.000"/>'
        '<numFmt numFmtId="167" formatCode="[$-409]mmm d;@"/>'
        '<numFmt numFmtId="168" formatCode="&quot;Day &quot;d&quot; of &quot;mmmm"/>'
        '<numFmt numFmtId="169" formatCode="0.0%%"/>'
        '<numFmt numFmtId="170" formatCode="h &quot;h&quot; mm &quot;min&quot;"/>'
        '</numFmts>'
        '<cellXfs count="22"><xf numFmtId="0"/><xf numFmtId="14"/>'
        '<xf numFmtId="164"/><xf numFmtId="2"/><xf numFmtId="21"/>'
        '<xf numFmtId="10"/>'
        + "".join('<xf numFmtId="%d"/>' % i for i in
                  (15, 16, 17, 18, 19, 20, 22, 45, 46, 47,
                   165, 166, 167, 168, 169, 170)) +
        '</cellXfs></styleSheet>') % NS,
    "xl/sharedStrings.xml":
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst %s count="9" uniqueCount="9">'
        '<si><t>id</t></si>'                                   # 0
        '<si><t>date</t></si>'                                 # 1
        '<si><t>answer</t></si>'                               # 2
        '<si><t>Tell us more</t></si>'                         # 3
        '<si><r><t>Practical </t></r><r><rPr><b/></rPr><t>tools</t></r>'
        '<r><t xml:space="preserve">, mostly</t></r></si>'     # 4
        '<si><t>כלים מעשיים</t><rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si>'  # 5
        '<si><t xml:space="preserve">  spaced out  </t></si>'  # 6
        '<si><t>line one_x000D_\nline two</t></si>'            # 7
        '<si><t>amount</t></si>'                               # 8
        '</sst>' % NS,
    "xl/worksheets/sheet1.xml":
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet %s><dimension ref="A1:F6"/><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>8</v></c><c r="D1" t="inlineStr"><is><t>flag</t></is></c>'
        '<c r="E1" t="s"><v>2</v></c><c r="F1" t="inlineStr"><is><t>comment</t></is></c></row>'
        '<row r="2"><c r="E2" t="s"><v>3</v></c><c r="F2"/></row>'
        '<row r="3"><c r="A3" t="s"><v>5</v></c><c r="B3" s="1"><v>44536</v></c>'
        '<c r="C3" s="3"><v>1234.5</v></c><c r="D3" t="b"><v>1</v></c>'
        '<c r="E3" t="s"><v>4</v></c><c r="F3" t="s"><v>7</v></c></row>'
        '<row r="4"><c r="A4" t="inlineStr"><is><t>r2</t></is></c><c r="B4" s="4"><v>44564.75</v></c>'
        '<c r="C4"><v>1E-7</v></c><c r="D4" t="e"><v>#N/A</v></c>'
        '<c r="E4" t="str"><f>CONCAT("a","b")</f><v>ab</v></c>'
        '<c r="F4" s="5"><v>0.25</v></c></row>'
        '<row r="6"><c t="inlineStr"><is><t>r3</t></is></c><c s="2"><v>44197</v></c>'
        '<c><v>123456789012345678</v></c><c t="b"><v>0</v></c>'
        '<c t="s"><v>6</v></c></row>'
        '</sheetData><mergeCells count="1"><mergeCell ref="E2:F2"/></mergeCells></worksheet>' % NS,
    "xl/worksheets/sheet2.xml":
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet %s><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>region</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>r2</t></is></c><c r="B2" t="inlineStr"><is><t>צפון</t></is></c></row>'
        '</sheetData></worksheet>' % NS,
}
# One date-time (2021-12-06 18:00, a Monday) in each date format, and the
# serials Excel shows as 1900-01-01 and its fictitious 1900-02-29.
fmt_rows = [("d-mmm-yy", 6, 44536.75), ("d-mmm", 7, 44536.75),
            ("mmm-yy", 8, 44536.75), ("h:mm AM/PM", 9, 44536.75),
            ("h:mm:ss AM/PM", 10, 44536.75), ("h:mm", 11, 44536.75),
            ("m/d/yyyy h:mm", 12, 44536.75), ("mm:ss", 13, 44536.75),
            ("[h]:mm:ss", 14, 2.5), ("mm:ss.0", 15, 0.000694444),
            ("dddd, mmmm d, yyyy", 16, 44536.75),
            ("yyyy-mm-dd hh:mm:ss.000", 17, 44536.75),
            ("[$-409]mmm d;@", 18, 44536.75),
            ('"Day "d" of "mmmm', 19, 44536.75),
            ("0.0% (no date)", 20, 44536.75),
            ('h "h" mm "min"', 21, 44536.75),
            ("m/d/yyyy, serial 1", 1, 1), ("m/d/yyyy, serial 60", 1, 60)]
rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>format</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>shown</t></is></c></row>']
for i, (name, style, value) in enumerate(fmt_rows):
    r = i + 2
    name = name.replace("&", "&amp;").replace('"', "&quot;")
    rows.append('<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c>'
                '<c r="B%d" s="%d"><v>%r</v></c></row>' % (r, r, name, r, style, value))
files["xl/worksheets/sheet3.xml"] = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet %s><sheetData>%s</sheetData></worksheet>' % (NS, "".join(rows)))
with zipfile.ZipFile("shared.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in files.items():
        info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, text.encode("utf-8"))
