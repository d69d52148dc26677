#!/usr/bin/python3
"""Writes small seed corpora for the fuzz targets, made from the synthetic samples/ files.

Usage: fuzz/make_seeds.py SAMPLES_DIR OUT_DIR

Pages are shrunk to about 160 pixels wide so each run spends its time on file structure,
not pixels. OUT_DIR gets png/, jpeg/, tiff/, pdf/, csv/, text/ and http/ folders.
The JBIG2 PDF seeds are built here, as img2pdf cannot write JBIG2: a page holding one
MMR-coded generic region (CCITT G4 data from Pillow's TIFF writer), and ISO 32000's example
of a text region whose symbols are in the /JBIG2Globals stream.
The http/ seeds are requests to the review workstation; $COOKIE and $CSRF stand for the
session fuzz_http_request signs in with.
"""
import io
import json
import sys
from pathlib import Path

import img2pdf
from PIL import Image

WIDTH = 160


def small_pages(samples):
    for path in sorted(samples.glob("*")):
        if path.suffix.lower() not in (".png", ".jpg", ".tif"):
            continue
        image = Image.open(path)
        image.seek(0)
        grey = image.convert("L")
        yield path.stem, grey.resize((WIDTH, max(1, grey.height * WIDTH // grey.width)))


def encoded(image, **options):
    out = io.BytesIO()
    image.save(out, **options)
    return out.getvalue()


def main():
    samples, out = Path(sys.argv[1]), Path(sys.argv[2])
    for folder in ("png", "jpeg", "tiff", "pdf", "csv", "text", "http"):
        (out / folder).mkdir(parents=True, exist_ok=True)

    for name, grey in small_pages(samples):
        bilevel = grey.point(lambda v: 255 if v > 160 else 0).convert("1")
        colour = grey.convert("RGB")
        seeds = {
            f"png/{name}_grey.png": encoded(grey, format="PNG"),
            f"png/{name}_bilevel.png": encoded(bilevel, format="PNG"),
            f"png/{name}_palette.png": encoded(colour.convert("P"), format="PNG"),
            f"jpeg/{name}_grey.jpg": encoded(grey, format="JPEG", quality=60, dpi=(300, 300)),
            f"jpeg/{name}_rgb_progressive.jpg": encoded(colour, format="JPEG", quality=60, progressive=True),
            f"tiff/{name}_g4.tif": encoded(bilevel, format="TIFF", compression="group4", dpi=(300, 300)),
            f"tiff/{name}_lzw.tif": encoded(grey, format="TIFF", compression="tiff_lzw"),
            f"tiff/{name}_deflate_two_pages.tif": encoded(grey, format="TIFF", compression="tiff_adobe_deflate",
                                                          save_all=True, append_images=[bilevel]),
            f"pdf/{name}_jpeg.pdf": img2pdf.convert(encoded(grey, format="JPEG", quality=60)),
            f"pdf/{name}_flate.pdf": img2pdf.convert(encoded(grey, format="PNG")),
            f"pdf/{name}_g4.pdf": img2pdf.convert(encoded(bilevel, format="TIFF", compression="group4")),
        }
        g4 = g4_strip(bilevel)
        if g4 is not None:
            seeds[f"pdf/{name}_jbig2.pdf"] = pdf_with_jbig2(jbig2_mmr_page(bilevel.width, bilevel.height, g4),
                                                            bilevel.width, bilevel.height)
        for relative, data in seeds.items():
            (out / relative).write_bytes(data)

    (out / "pdf/iso_example_jbig2_globals.pdf").write_bytes(
        pdf_with_jbig2(bytes.fromhex(ISO_JBIG2_PAGE), 52, 66, bytes.fromhex(ISO_JBIG2_GLOBALS)))

    (out / "csv/patients.csv").write_bytes((samples / "patients.csv").read_bytes())
    (out / "csv/quoted.csv").write_text(
        "nhs_number,hospital_number,family_name,given_names,date_of_birth,sex,postcode\n"
        '"999 051 6324",K2004841,"O\'BRIEN, ""Jack""","John\nPaul",1950-03-04,M,"LS6 2QT"\r\n'
        ",K7,JONES,Ann,1970-02-30,F,\n")
    for document in json.loads((samples / "ground_truth.json").read_text()):
        stem = Path(document["file"]).stem
        text = "\f".join(page["text"] for page in document["pages"])
        (out / f"text/{stem}.txt").write_text(text)

    for name, request in http_requests().items():
        (out / f"http/{name}.http").write_bytes(request)


# ISO 32000-1 7.4.7's example: a 52 x 66 page and the globals holding its symbol dictionary.
ISO_JBIG2_PAGE = ("00000001300001000000130000003400000042000000000000000040000000000002062000010000001e00000034"
                  "0000004200000000000000000200100000000231db51ce51ffac")
ISO_JBIG2_GLOBALS = ("0000000000010000000032000003fffdff02fefefe00000001000000012ae225aea9a5a538b4d9999c5c8e56ef"
                     "0f8727f2b53d4e37ef795cc5506dffac")


def g4_strip(bilevel):
    """The CCITT G4 data of a one-strip TIFF, or None when Pillow split it into strips."""
    tiff = Image.open(io.BytesIO(encoded(bilevel, format="TIFF", compression="group4")))
    offsets, counts = tiff.tag_v2[273], tiff.tag_v2[279]
    if len(offsets) != 1:
        return None
    return encoded(bilevel, format="TIFF", compression="group4")[offsets[0]:offsets[0] + counts[0]]


def jbig2_segment(number, kind, data):
    """A T.88 segment header (no referred-to segments, page 1) followed by its data."""
    return number.to_bytes(4, "big") + bytes([kind, 0, 1]) + len(data).to_bytes(4, "big") + data


def jbig2_mmr_page(width, height, g4):
    """Page information (type 48), then an immediate lossless generic region (type 38) coded with MMR."""
    size = width.to_bytes(4, "big") + height.to_bytes(4, "big")
    page_information = size + bytes(8) + bytes([1, 0, 0])
    region = size + bytes(8) + bytes([0, 1]) + g4
    return jbig2_segment(0, 48, page_information) + jbig2_segment(1, 38, region)


def pdf_with_jbig2(data, width, height, globals_data=None):
    """A one-page PDF showing a JBIG2 image at one point a pixel."""
    parms = b" /DecodeParms << /JBIG2Globals 6 0 R >>" if globals_data else b""
    content = b"q %d 0 0 %d 0 0 cm /Im0 Do Q" % (width, height)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /XObject << /Im0 4 0 R >> >> "
        b"/Contents 5 0 R >>" % (width, height),
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 1 "
        b"/Filter /JBIG2Decode%s /Length %d >>\nstream\n%s\nendstream" % (width, height, parms, len(data), data),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    if globals_data:
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(globals_data), globals_data))
    out = b"%PDF-1.5\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def http_request(method, target, body=None, signed_in=True, headers=()):
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1:8080", *headers]
    if signed_in:
        lines.append("Cookie: other=1; $COOKIE")
        if method == "POST":
            lines.append("X-CSRF-Token: $CSRF")
    if body is not None:
        data = json.dumps(body)
        lines += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
        return ("\r\n".join(lines) + "\r\n\r\n" + data).encode()
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def http_requests():
    correction = {"field": "nhs_number", "value": "9993251003"}
    return {
        "index": http_request("GET", "/", signed_in=False),
        "static": http_request("GET", "/static/app.js", signed_in=False),
        "login": http_request("POST", "/api/login", {"name": "nobody", "password": "x"}, signed_in=False),
        "status": http_request("GET", "/api/status"),
        "queue": http_request("GET", "/api/queue?type=clinic_letter&reason=patient&sort=newest"),
        "document": http_request("GET", "/api/documents/D1"),
        "page_image": http_request("GET", "/api/documents/D1/pages/1/image?width=300"),
        "archive_pdf": http_request("GET", "/api/documents/D2/archive.pdf"),
        "accept": http_request("POST", "/api/documents/D1/accept", {}),
        "correct": http_request("POST", "/api/documents/D1/correct", correction),
        "link": http_request("POST", "/api/documents/D2/link", {"patient_id": "P1"}),
        "new_patient": http_request("POST", "/api/documents/D2/new-patient", {}),
        "logout": http_request("POST", "/api/logout", {}, headers=("Origin: http://127.0.0.1:8080",)),
        "reject": http_request("POST", "/api/documents/D2/reject", {"reason": "duplicate scan"}),
        "patients": http_request("GET", "/api/patients?q=NOWAK%201985-04-12"),
        "patient": http_request("GET", "/api/patients/P1"),
        "search": http_request("GET", "/api/search?q=eczema&status=needs_review&from=2024-01-01&to=2030-01-01"),
        "dashboard": http_request("GET", "/api/dashboard"),
        "chunked": b"POST /api/documents/D1/reject HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nCookie: $COOKIE\r\n"
                   b"X-CSRF-Token: $CSRF\r\nOrigin: http://127.0.0.1:8080\r\nContent-Type: application/json\r\n"
                   b"Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n2\r\n1}\r\n0\r\n\r\n",
        "form": b"POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: 17\r\n\r\nname=a&password=b",
    }


if __name__ == "__main__":
    main()
