"""Character-set references (issue 15 item 9), with Debian's python3-pydicom 2.3.1 and Python's codecs.

    /usr/bin/python3 lib/imaging/dicom/testdata/make-charset-references.py

1. Copies pydicom's charset test files (pydicom/data/charset_files: D. Clunie's dicom3tools examples + pydicom's own,
   MIT) to lib/testdata/pydicom_charset/ and writes charset_files.json there: every text element (PN, SH, LO, ST, LT,
   UT, UC), in sequence items too, as pydicom decodes it (multi-valued joined with a backslash).
2. Writes testdata/charset_table.json: one case per defined term of PS3.3 C.12.1.1.2 (and the code-extension
   examples of PS3.5 Annexes H, I, J, K): the intended text, its bytes (made with Python's codecs, escape sequences per
   PS3.3 Tables C.12-3/C.12-4) and what pydicom 2.3.1 decodes from them (`pydicom`; null where pydicom does not know
   the term). pydicom 2.3.1 differs from the intended text in a few cases, all its own limits: it does not know
   ISO_IR 203 (Latin-9); it splits GBK values at a 0x5C trail byte; it leaves the ESC $ ) A of ISO 2022 IR 58 in the
   text; it drops a person name's empty trailing component group. The tests compare with the intended text.
"""
import json, os, shutil
import pydicom
from pydicom.charset import decode_element
from pydicom.dataelem import DataElement

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "../../../.."))
SRC = os.path.join(os.path.dirname(pydicom.__file__), "data/charset_files")
OUT = os.path.join(ROOT, "lib/testdata/pydicom_charset")
TEXT_VRS = {"PN", "SH", "LO", "ST", "LT", "UT", "UC"}

# --- 1. pydicom's charset files ------------------------------------------------------------------------------------
def text_elements(ds, prefix=""):
    out = {}
    for elem in ds:
        tag = f"{elem.tag.group:04X}{elem.tag.element:04X}"
        if elem.VR == "SQ":
            for i, item in enumerate(elem.value):
                out.update(text_elements(item, f"{prefix}{tag}[{i}]."))
        elif elem.VR in TEXT_VRS and elem.value not in (None, ""):
            v = elem.value
            vals = list(v) if isinstance(v, pydicom.multival.MultiValue) else [v]
            out[prefix + tag] = "\\".join(str(x) for x in vals)
    return out

files = {}
for name in sorted(os.listdir(SRC)):
    shutil.copyfile(os.path.join(SRC, name), os.path.join(OUT, name))
    if not name.endswith(".dcm"):
        continue
    ds = pydicom.dcmread(os.path.join(SRC, name))
    files[name] = {"specific_character_set": ds.get("SpecificCharacterSet"), "text": text_elements(ds)}
    if isinstance(files[name]["specific_character_set"], pydicom.multival.MultiValue):
        files[name]["specific_character_set"] = list(files[name]["specific_character_set"])
json.dump(files, open(os.path.join(OUT, "charset_files.json"), "w", encoding="utf-8"), indent=1, ensure_ascii=False)

# --- 2. the table ----------------------------------------------------------------------------------------------------
ESC = b"\x1b"
def seg(escape: bytes, codec: str, text: str) -> bytes:
    return escape + text.encode(codec)

def jis(text):  # JIS X 0208 in G0: 7-bit bytes of ISO-2022-JP without its escapes
    b = text.encode("iso2022_jp")
    assert b.startswith(ESC + b"$B") and b.endswith(ESC + b"(B"), b
    return b[3:-3]

def jis0212(text):  # JIS X 0212 in G0 from EUC-JP's SS3 form
    b = text.encode("euc_jp")
    assert b[0] == 0x8F and len(b) == 3, b
    return bytes([b[1] & 0x7F, b[2] & 0x7F])

cases = []
def case(terms, vr, text, data: bytes, note=""):
    elem = DataElement(0x00100010 if vr == "PN" else (0x00081030 if vr == "LO" else 0x00324000), vr, data)
    try:
        decode_element(elem, terms)
        v = elem.value
        pyd = "\\".join(str(x) for x in v) if isinstance(v, pydicom.multival.MultiValue) else str(v)
    except Exception as e:  # noqa: BLE001 - record what pydicom does
        pyd = f"error: {e}"
    cases.append({"terms": terms, "vr": vr, "text": text, "hex": data.hex(), "pydicom": pyd, "pydicom_agrees": pyd == text, "note": note})

single_byte = [
    ("ISO_IR 6", "ascii", "Smith^John"),
    ("ISO_IR 100", "latin_1", "Buc^Jérôme"),
    ("ISO_IR 101", "iso8859_2", "Dvořák^Antonín"),
    ("ISO_IR 109", "iso8859_3", "Ġużè^Ħabib"),
    ("ISO_IR 110", "iso8859_4", "Šķēle^Ļena"),
    ("ISO_IR 144", "iso8859_5", "Иванов^Иван"),
    ("ISO_IR 127", "iso8859_6", "قباني^لنزار"),
    ("ISO_IR 126", "iso8859_7", "Διονυσιος"),
    ("ISO_IR 138", "iso8859_8", "שרון^דבורה"),
    ("ISO_IR 148", "iso8859_9", "Çelik^Ayşe"),
    ("ISO_IR 203", "iso8859_15", "Lefèvre^Zoé (€ Œuvre)"),
    ("ISO_IR 13", "shift_jis", "ﾔﾏﾀﾞ^ﾀﾛｳ"),
    ("ISO_IR 166", "tis_620", "สมชาย^ใจดี"),
    ("ISO_IR 192", "utf_8", "Zoë^Müller=王^小東"),
    ("GB18030", "gb18030", "Wang^XiaoDong=王^小东=€"),
    ("GBK", "gbk", "Wang^XiaoDong=王^小东="),
]
for term, codec, text in single_byte:
    case([term], "PN", text, text.encode(codec))
    ext = term.replace("ISO_IR", "ISO 2022 IR")
    if ext != term and term != "ISO_IR 192":  # UTF-8, GB18030 and GBK have no code-extension form
        case([ext], "PN", text, text.encode(codec), "same bytes under the code-extension term")

# GB18030/GBK: a trail byte 0x5C (backslash) inside a character must not split values.
case(["GBK"], "LO", "乗\\二", "乗\\二".encode("gbk"), "乗 is 81 5C in GBK: its second byte is a backslash")

# ISO 2022 with escapes
case(["ISO 2022 IR 100"], "PN", "Buc^Jérôme", b"Buc^J\xe9r\xf4me")
case(["", "ISO 2022 IR 100", "ISO 2022 IR 126"], "LO", "Jérôme Διονυσιος",
     b"J" + ESC + b"-A" + "érôme".encode("latin_1") + b" " + ESC + b"-F" + "Διονυσιος".encode("iso8859_7"),
     "G1 switched from Latin-1 to Greek by escapes")
# PS3.5 H.3.1 (chrH31): Japanese, JIS X 0208 in G0
h31 = b"Yamada^Tarou=" + ESC + b"$B" + jis("山田") + ESC + b"(B^" + ESC + b"$B" + jis("太郎") + ESC + b"(B=" + ESC + b"$B" + jis("やまだ") + ESC + b"(B^" + ESC + b"$B" + jis("たろう") + ESC + b"(B"
case(["", "ISO 2022 IR 87"], "PN", "Yamada^Tarou=山田^太郎=やまだ^たろう", h31, "PS3.5 H.3.1")
# PS3.5 H.3.2 (chrH32): JIS X 0201 katakana + JIS X 0208
h32 = "ﾔﾏﾀﾞ^ﾀﾛｳ=".encode("shift_jis") + ESC + b"$B" + jis("山田") + ESC + b"(J^" + ESC + b"$B" + jis("太郎") + ESC + b"(J=" + ESC + b"$B" + jis("やまだ") + ESC + b"(J^" + ESC + b"$B" + jis("たろう") + ESC + b"(J"
case(["ISO 2022 IR 13", "ISO 2022 IR 87"], "PN", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう", h32, "PS3.5 H.3.2")
# JIS X 0212 (ISO-IR 159): 鷗 and 丂 are in JIS X 0212, not JIS X 0208
h159 = b"Mori^Ogai=" + ESC + b"$B" + jis("森") + ESC + b"(B^" + ESC + b"$(D" + jis0212("鷗") + ESC + b"$B" + jis("外") + ESC + b"(B"
case(["", "ISO 2022 IR 87", "ISO 2022 IR 159"], "PN", "Mori^Ogai=森^鷗外", h159, "JIS X 0212 via ESC $ ( D")
# PS3.5 I.2 (chrI2): Korean, KS X 1001 in G1
i2 = b"Hong^Gildong=" + ESC + b"$)C" + "洪".encode("euc_kr") + b"^" + ESC + b"$)C" + "吉洞".encode("euc_kr") + b"=" + ESC + b"$)C" + "홍".encode("euc_kr") + b"^" + ESC + b"$)C" + "길동".encode("euc_kr")
case(["", "ISO 2022 IR 149"], "PN", "Hong^Gildong=洪^吉洞=홍^길동", i2, "PS3.5 I.2")
# PS3.5 K.2 style: GB2312 in G1 (ISO-IR 58)
k = b"Zhang^XiaoDong=" + ESC + b"$)A" + "张".encode("gb2312") + b"^" + ESC + b"$)A" + "小东".encode("gb2312") + b"="
case(["", "ISO 2022 IR 58"], "PN", "Zhang^XiaoDong=张^小东=", k, "PS3.5 K.2")
# Text VR: CR LF reset the code extensions; ^ and = do not
case(["", "ISO 2022 IR 87"], "LT", "山田\r\n=^x", ESC + b"$B" + jis("山田") + ESC + b"(B\r\n=^x", "LT keeps ^ and = as text")
# Thai and Latin-9 with escapes
case(["ISO 2022 IR 166"], "LO", "สมชาย", "สมชาย".encode("tis_620"))
case(["", "ISO 2022 IR 203"], "LO", "Zoé €", b"Zo" + ESC + b"-b" + "é €".encode("iso8859_15"), "Latin-9 via ESC - b")

json.dump(cases, open(os.path.join(HERE, "charset_table.json"), "w", encoding="utf-8"), indent=1, ensure_ascii=False)
print(len(files), "files;", len(cases), "cases;", sum(not c["pydicom_agrees"] for c in cases), "where pydicom differs:")
for c in cases:
    if not c["pydicom_agrees"]:
        print("  ", c["terms"], repr(c["text"]), "->", repr(c["pydicom"]))
