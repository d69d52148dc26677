#!/usr/bin/python3
"""Writes small seed corpora for the fuzz targets, made from the synthetic samples/ files.

Usage: fuzz/make_seeds.py SAMPLES_DIR OUT_DIR

Pages are shrunk to about 160 pixels wide so each run spends its time on file structure,
not pixels. OUT_DIR gets png/, jpeg/, tiff/, pdf/, csv/ and text/ folders.
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
    for folder in ("png", "jpeg", "tiff", "pdf", "csv", "text"):
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


if __name__ == "__main__":
    main()
