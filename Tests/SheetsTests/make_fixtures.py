#!/usr/bin/env python3
"""Generates the fixtures of Tests/SheetsTests/Fixtures (committed; rerun to regenerate).

    pip install openpyxl xlwt            # msoffcrypto-tool optional (real encrypted .xlsx)
    python3 Tests/SheetsTests/make_fixtures.py

Everything is deterministic (fixed dates, seeded random bytes) except the encrypted package
made by msoffcrypto-tool, which salts its keys.
"""
import datetime
import io
import os
import random
import re
import struct
import zipfile
import zlib

import openpyxl
import xlwt
from openpyxl.styles import Font

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "Fixtures")
FIXED_TIME = (2024, 1, 1, 0, 0, 0)


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def rezip(entries, method=zipfile.ZIP_DEFLATED):
    """A zip of (name, bytes) with fixed timestamps."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = method
            z.writestr(info, data)
    return buf.getvalue()


def unzip(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(i.filename, z.read(i.filename)) for i in z.infolist()]


# ---------------------------------------------------------------------------------------
# openpyxl.xlsx: shared strings, numbers, dates, booleans, errors, formulas with cached
# values (patched in: openpyxl writes formulas without), empty rows and cells, accents.

def make_openpyxl():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Clients"
    ws.append(["Nom", "Ville", "Montant", "Date", "Actif", "Formule", "Texte calculé"])
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.append(["Élodie Müller", "Saint-Étienne", 1234.5, datetime.date(2024, 3, 5), True, "=C2*2", "=UPPER(A2)"])
    ws.append(["Zoë « L'Haÿ » & <Cie>", "Besançon", -42, datetime.datetime(2023, 12, 31, 14, 30, 15), False, None, None])
    ws.append([])  # row 4 stays empty
    ws.append(["  espaces  ", None, 0.1, datetime.date(1900, 1, 1), None, "#DIV/0!"])
    ws.append(["ligne 1\nligne 2", "Œuvre", 12345678901234, datetime.date(1900, 3, 1)])
    ws["H7"] = 3.5  # a lone cell further right
    for row in (2, 3, 5, 6):
        ws.cell(row=row, column=4).number_format = "DD/MM/YYYY"
    ws["D3"].number_format = "dd/mm/yyyy hh:mm:ss"
    ws["C2"].number_format = '#,##0.00 "m"'   # not a date: the m is quoted
    ws["C5"].number_format = "0.00%"
    ws["H7"].number_format = "[Red]0.0"
    other = wb.create_sheet("Autre")
    other["A1"] = "pas lu"
    buf = io.BytesIO()
    wb.save(buf)
    entries = []
    for name, data in unzip(buf.getvalue()):
        if name == "xl/worksheets/sheet1.xml":
            s = data.decode("utf-8")
            # Cached formula results, as Excel would have saved them.
            s, n1 = re.subn(r'<c r="F2"([^>]*)><f>C2\*2</f><v\s*/?>(</v>)?</c>',
                            r'<c r="F2"\1><f>C2*2</f><v>2469</v></c>', s)
            s, n2 = re.subn(r'<c r="G2"([^>]*)><f>UPPER\(A2\)</f><v\s*/?>(</v>)?</c>',
                            '<c r="G2" t="str"><f>UPPER(A2)</f><v>ÉLODIE MÜLLER</v></c>', s)
            assert n1 == 1 and n2 == 1, s
            # openpyxl writes inline strings; Excel writes a shared string table. Move every
            # string but A5 (kept inline, with xml:space) to xl/sharedStrings.xml.
            table = []
            def to_shared(m):
                if m.group(1) == "A5":
                    return m.group(0)
                table.append(m.group(3))
                return '<c r="%s"%s t="s"><v>%d</v></c>' % (m.group(1), m.group(2), len(table) - 1)
            s = re.sub(r'<c r="([A-Z]+[0-9]+)"((?: s="[0-9]+")?) t="inlineStr"><is>(<t[^>]*>.*?</t>)</is></c>',
                       to_shared, s, flags=re.S)
            sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
                   % (len(table), len(table)) + "".join("<si>%s</si>" % t for t in table) + "</sst>")
            entries.append(("xl/sharedStrings.xml", sst.encode("utf-8")))
            data = s.encode("utf-8")
        elif name == "xl/_rels/workbook.xml.rels":
            data = data.replace(b"</Relationships>",
                                b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                                b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        elif name == "[Content_Types].xml":
            data = data.replace(b"</Types>",
                                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                                b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        entries.append((name, data))
    write("openpyxl.xlsx", rezip(entries))
    return rezip(entries)


def make_date1904():
    wb = openpyxl.Workbook()
    from openpyxl.utils.datetime import CALENDAR_MAC_1904
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws["A1"] = datetime.date(2024, 3, 5)
    ws["A1"].number_format = "yyyy-mm-dd"
    ws["A2"] = 1.5
    buf = io.BytesIO()
    wb.save(buf)
    write("date1904.xlsx", rezip(unzip(buf.getvalue())))


# ---------------------------------------------------------------------------------------
# inline.xlsx: written by hand. Inline strings, rich text with phonetic runs, prefixed
# elements, cells and rows without references, skipped columns, CDATA, character
# references, the _xHHHH_ escape, custom date formats, and a first sheet found through the
# relationships (not sheet1.xml).

CT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/donnees.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
<Override PartName="/xl/strings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""

ROOT_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""

INLINE_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<x:sheets><x:sheet name="Données" sheetId="2" r:id="rId7"/><x:sheet name="Feuil1" sheetId="1" r:id="rId1"/></x:sheets>
</x:workbook>"""

INLINE_WB_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/donnees.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/>
<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="./styles.xml"/>
</Relationships>"""

INLINE_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:styleSheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<x:numFmts count="3">
<x:numFmt numFmtId="170" formatCode="[$-40C]d\\ mmmm\\ yyyy;@"/>
<x:numFmt numFmtId="171" formatCode="0.00&quot; jours&quot;"/>
<x:numFmt numFmtId="172" formatCode="[h]:mm"/>
</x:numFmts>
<x:cellStyleXfs count="1"><x:xf numFmtId="14"/></x:cellStyleXfs>
<x:cellXfs count="5">
<x:xf numFmtId="0"/><x:xf numFmtId="170"/><x:xf numFmtId="171"/><x:xf numFmtId="172"/><x:xf numFmtId="22"><x:alignment wrapText="1"/></x:xf>
</x:cellXfs>
</x:styleSheet>"""

INLINE_STRINGS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">
<si><t>partagé</t></si>
<si><r><rPr><b/></rPr><t xml:space="preserve">Gras </t></r><r><t>et normal</t></r><rPh sb="0" eb="1"><t>PHONÉTIQUE</t></rPh></si>
<si><t>a_x000D_b_x005F_x0041_</t></si>
</sst>"""

INLINE_SHEET = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<x:dimension ref="A1:AB5"/>
<x:sheetData>
<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Inline é</x:t></x:is></x:c><x:c r="C1" t="s"><x:v>0</x:v></x:c><x:c r="AB1" t="inlineStr"><x:is><x:r><x:t>ri</x:t></x:r><x:r><x:t>che</x:t></x:r></x:is></x:c></x:row>
<x:row><x:c t="s"><x:v>1</x:v></x:c><x:c t="s"><x:v>2</x:v></x:c><x:c t="inlineStr"><x:is><x:t><![CDATA[<cdata> & co]]></x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>&#233;t&#xE9; &amp; &lt;hiver&gt; &quot;&apos;</x:t></x:is></x:c></x:row>
<x:row r="4"><x:c r="B4" s="1"><x:v>45356</x:v></x:c><x:c r="C4" s="2"><x:v>3.25</x:v></x:c><x:c r="D4" s="3"><x:v>1.5</x:v></x:c><x:c r="E4" s="4"><x:v>45356.75</x:v></x:c><x:c r="F4" t="b"><x:v>0</x:v></x:c><x:c r="G4" t="e"><x:v>#N/A</x:v></x:c><x:c r="H4" s="1"/><x:c r="I4" t="str"><x:f>"x"&amp;"y"</x:f><x:v>xy</x:v></x:c></x:row>
<x:row r="5"><x:c r="A5" t="d"><x:v>2024-02-29T08:15:00</x:v></x:c><x:c r="B5"><x:v>1E-3</x:v></x:c><x:c r="C5" s="1"><x:v>60</x:v></x:c><x:c r="D5" s="1"><x:v>59</x:v></x:c><x:c r="E5" s="1"><x:v>0.5</x:v></x:c></x:row>
<x:row r="9" spans="1:3"><x:c r="B9" s="2"/><x:c r="C9" s="2"/></x:row>
</x:sheetData>
</x:worksheet>"""

OTHER_SHEET = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>mauvaise feuille</t></is></c></row>
</sheetData></worksheet>"""


def make_inline():
    write("inline.xlsx", rezip([
        ("[Content_Types].xml", CT.encode()),
        ("_rels/.rels", ROOT_RELS.encode()),
        ("xl/workbook.xml", INLINE_WORKBOOK.encode()),
        ("xl/_rels/workbook.xml.rels", INLINE_WB_RELS.encode()),
        ("xl/styles.xml", INLINE_STYLES.encode()),
        ("xl/strings.xml", INLINE_STRINGS.encode()),
        ("xl/worksheets/donnees.xml", INLINE_SHEET.encode()),
        ("xl/worksheets/sheet1.xml", OTHER_SHEET.encode()),
    ]))


# A minimal package around one worksheet (and optional shared strings), for hostile cases.

MIN_WORKBOOK = """<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"""
MIN_WB_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"""
MIN_SHEET = """<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"""
MIN_STRINGS = """<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>ok</t></si></sst>"""


def minimal(sheet=MIN_SHEET, strings=MIN_STRINGS, method=zipfile.ZIP_DEFLATED):
    entries = [
        ("[Content_Types].xml", CT.encode()),
        ("_rels/.rels", ROOT_RELS.encode()),
        ("xl/workbook.xml", MIN_WORKBOOK.encode()),
        ("xl/_rels/workbook.xml.rels", MIN_WB_RELS.encode()),
        ("xl/worksheets/sheet1.xml", sheet if isinstance(sheet, bytes) else sheet.encode()),
    ]
    if strings is not None:
        entries.append(("xl/sharedStrings.xml", strings if isinstance(strings, bytes) else strings.encode()))
    return rezip(entries, method)


def raw_deflate(data, level=9):
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def patch_entry(zipdata, name, declared_size=None, flags_or=0, corrupt_data=False):
    """Rewrites the local and central headers of one entry (declared size, flags), or flips a
    byte of its data."""
    b = bytearray(zipdata)
    nb = name.encode()
    # Central directory headers.
    pos = 0
    while True:
        pos = b.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        nlen = struct.unpack_from("<H", b, pos + 28)[0]
        if bytes(b[pos + 46:pos + 46 + nlen]) == nb:
            if declared_size is not None:
                struct.pack_into("<I", b, pos + 24, declared_size)
            struct.pack_into("<H", b, pos + 8, struct.unpack_from("<H", b, pos + 8)[0] | flags_or)
        pos += 4
    pos = 0
    while True:
        pos = b.find(b"PK\x03\x04", pos)
        if pos < 0:
            break
        nlen, xlen = struct.unpack_from("<HH", b, pos + 26)
        if bytes(b[pos + 30:pos + 30 + nlen]) == nb:
            if declared_size is not None:
                struct.pack_into("<I", b, pos + 22, declared_size)
            struct.pack_into("<H", b, pos + 6, struct.unpack_from("<H", b, pos + 6)[0] | flags_or)
            if corrupt_data:
                b[pos + 30 + nlen + xlen + 5] ^= 0x01
        pos += 4
    return bytes(b)


def make_hostile(good_xlsx):
    # Zip bombs: ~100 MB of zeros deflated to ~100 KB, with honest sizes, and a smaller one
    # whose headers claim 4 KB.
    zeros = b"0" * (100 * 1024 * 1024)
    write("bomb-honest.xlsx", minimal(sheet=zeros))
    lying = minimal(sheet=b"<" + b"0" * (10 * 1024 * 1024))
    write("bomb-lying.xlsx", patch_entry(lying, "xl/worksheets/sheet1.xml", declared_size=4096))

    laughs = ['<?xml version="1.0"?>', "<!DOCTYPE lolz [", ' <!ENTITY lol "lol">']
    for i in range(1, 10):
        prev = "lol" if i == 1 else "lol%d" % (i - 1)
        laughs.append(' <!ENTITY lol%d "%s">' % (i, ("&%s;" % prev) * 10))
    laughs.append("]>")
    laughs.append('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>')
    write("doctype.xlsx", minimal(strings="\n".join(laughs)))

    xxe = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>"""
    write("xxe.xlsx", minimal(sheet=xxe, strings=None))

    write("truncated.xlsx", good_xlsx[: len(good_xlsx) // 2])

    rnd = random.Random(20240305)
    write("corrupt-zip.xlsx", b"PK\x03\x04" + bytes(rnd.getrandbits(8) for _ in range(3000)))
    write("random.bin", bytes(rnd.getrandbits(8) for _ in range(4096)))

    # A real (tiny) PNG, renamed.
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes((y * 16, 255 - y * 16, 200)) * 16 for y in range(16))
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    write("image-renamed.xlsx", png)

    # Entry-level zip encryption flag (traditional PKWARE).
    write("zip-encrypted.xlsx", patch_entry(minimal(), "xl/worksheets/sheet1.xml", flags_or=1))
    # A stored entry with a flipped byte: CRC mismatch.
    write("bad-crc.xlsx", patch_entry(minimal(method=zipfile.ZIP_STORED), "xl/worksheets/sheet1.xml", corrupt_data=True))
    # Too many rows for the default limits.
    far = MIN_SHEET.replace('<row r="1"><c r="A1"', '<row r="250000"><c r="A250000"')
    write("too-many-rows.xlsx", minimal(sheet=far))
    # A zip that holds no workbook.
    write("not-a-workbook.xlsx", rezip([("readme.txt", b"hello")]))

    # Password-protected .xlsx: a real one from msoffcrypto-tool when available, else a fake
    # OLE2 container whose directory holds EncryptionInfo and EncryptedPackage.
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
        src = io.BytesIO(minimal())
        out = io.BytesIO()
        OOXMLFile(src).encrypt("secret", out)
        write("encrypted.xlsx", out.getvalue())
    except Exception as exc:  # pragma: no cover
        print("msoffcrypto-tool unavailable (%s): writing a fake encrypted container" % exc)
        write("encrypted.xlsx", fake_ole2({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\x00" * 200,
                                            "EncryptedPackage": b"\x00" * 5000}))

    write("empty.csv", b"")


def fake_ole2(streams):
    """A minimal CFBF (version 3, 512-byte sectors) whose streams all live in regular sectors."""
    sector = 512
    names = list(streams)
    data_sectors = []
    starts = {}
    for n in names:
        d = streams[n] + b"\x00" * ((-len(streams[n])) % sector)
        starts[n] = len(data_sectors)
        data_sectors += [d[i:i + sector] for i in range(0, len(d), sector)]
    dir_first = len(data_sectors)
    fat_first = dir_first + 1
    nsect = fat_first + 1
    fat = [0xFFFFFFFF] * (sector // 4)
    for n in names:
        count = (len(streams[n]) + sector - 1) // sector
        for k in range(count):
            fat[starts[n] + k] = starts[n] + k + 1 if k + 1 < count else 0xFFFFFFFE
    fat[dir_first] = 0xFFFFFFFE
    fat[fat_first] = 0xFFFFFFFD
    def entry(name, typ, start, size, child=0xFFFFFFFF, right=0xFFFFFFFF):
        u = name.encode("utf-16-le") + b"\x00\x00"
        e = u + b"\x00" * (64 - len(u))
        e += struct.pack("<HBB", len(u), typ, 1)
        e += struct.pack("<III", 0xFFFFFFFF, right, child)
        e += b"\x00" * 16 + b"\x00" * 4 + b"\x00" * 16
        e += struct.pack("<IQ", start, size)
        return e
    d = entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1)
    for i, n in enumerate(names):
        d += entry(n, 2, starts[n], len(streams[n]), right=(i + 2) if i + 1 < len(names) else 0xFFFFFFFF)
    d += b"\x00" * (sector - len(d))
    header = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\x00" * 16
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
    header += struct.pack("<IIIIIIII", 0, 1, dir_first, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE)
    header += struct.pack("<I", 0)
    header += struct.pack("<I", fat_first) + struct.pack("<I", 0xFFFFFFFF) * 108
    assert len(header) == 512, len(header)
    body = b"".join(data_sectors) + d + b"".join(struct.pack("<I", v) for v in fat)
    return header + body


# ---------------------------------------------------------------------------------------
# xlwt.xls: a real BIFF8 workbook.

def make_xls():
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Contacts")
    bold = xlwt.easyxf("font: bold on")
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    datetime_style = xlwt.easyxf(num_format_str="DD/MM/YYYY HH:MM:SS")
    for c, v in enumerate(["Nom", "Prénom", "Âge", "Naissance", "Solde", "Rendez-vous"]):
        ws.write(0, c, v, bold)
    ws.write(1, 0, "Lefèvre")
    ws.write(1, 1, "Anaïs")
    ws.write(1, 2, 34)
    ws.write(1, 3, datetime.date(1990, 7, 14), date_style)
    ws.write(1, 4, -1234.56)
    ws.write(1, 5, datetime.datetime(2024, 3, 5, 9, 30, 0), datetime_style)
    ws.write(2, 0, "Ødegård")
    ws.write(2, 2, 1e-3)
    ws.write(3, 1, "ligne\nsuivante")
    ws2 = wb.add_sheet("Autre")
    ws2.write(0, 0, "pas lu")
    buf = io.BytesIO()
    wb.save(buf)
    write("xlwt.xls", buf.getvalue())


# ---------------------------------------------------------------------------------------
# CSV files.

def make_csv():
    write("utf8-semicolon.csv",
          'Nom;Ville;Note\r\n'
          '"Dupont; père";Paris;"Il a dit ""bonjour"""\r\n'
          '"Élise";"Saint-Étienne";"deux\r\nlignes"\r\n'
          '\r\n'
          'Zoë;;\r\n'.encode("utf-8"))
    write("utf8-bom-comma.csv",
          b"\xEF\xBB\xBF" + 'nom,prénom,"remarque, avec virgule"\n'
          'Müller,Jürgen,"a ""b"" c"\n'
          'Ørsted,Anders,\n'.encode("utf-8"))
    write("cp1252.csv",
          "Produit;Prix;Note\r\nCafé crème;3,50 \x80;l\x92été\r\n\x9Cuvre;10 \x80;«\xA0ok\xA0»\r\n"
          .encode("latin-1"))
    write("tab.csv", "a\tb;c\tc,d\n1\t2\t3\n".encode("utf-8"))
    write("cr-only.csv", "x;y\r1;2\r3;4".encode("utf-8"))
    write("utf16le.csv", b"\xFF\xFE" + "nom;ville\r\nNoël;Orléans\r\n".encode("utf-16-le"))


def main():
    os.makedirs(OUT, exist_ok=True)
    good = make_openpyxl()
    make_date1904()
    make_inline()
    make_xls()
    make_csv()
    make_hostile(good)
    for name in sorted(os.listdir(OUT)):
        print("%8d  %s" % (os.path.getsize(os.path.join(OUT, name)), name))


if __name__ == "__main__":
    main()
