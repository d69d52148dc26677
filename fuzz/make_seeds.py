#!/usr/bin/python3
"""Writes small seed corpora for the fuzz targets, made from the synthetic samples/ files.

Usage: fuzz/make_seeds.py SAMPLES_DIR OUT_DIR

Pages are shrunk to about 160 pixels wide so each run spends its time on file structure,
not pixels. OUT_DIR gets png/, jpeg/, tiff/, pdf/, csv/, text/ and http/ folders.
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
        for relative, data in seeds.items():
            (out / relative).write_bytes(data)

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
