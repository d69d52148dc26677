"""Writes samples/'s clinic letter for Katarzyna Nowak as if its author had mistyped her NHS
number (999 325 1030: the check digit is wrong), scanned as the sample is. The browser tests
give it to a clerk to correct.

usage: misprinted_letter.py OUTPUT_DIR   (writes OUTPUT_DIR/clinic_letter_nowak.jpg)
"""
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "samples"))
import generate  # noqa: E402  (the samples' own generator, so the letter looks like theirs)

MISPRINTED_NHS_NUMBER = "9993251030"


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: misprinted_letter.py OUTPUT_DIR")
    out_dir = Path(argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    people = generate.document_patients(random.Random(generate.SEED), set(), set())
    nowak = people["NOWAK"]
    assert not generate.is_valid_nhs_number(MISPRINTED_NHS_NUMBER)
    nowak.nhs_number = MISPRINTED_NHS_NUMBER
    generate.write_document(generate.clinic_letter_nowak(nowak), out_dir, np.random.RandomState(generate.SEED))


if __name__ == "__main__":
    main(sys.argv)
