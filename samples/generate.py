#!/usr/bin/python3
"""Writes synthetic scanned hospital documents, the ground truth they were drawn from, and a
patient master index (PMI) to file them against.

Usage: /usr/bin/python3 samples/generate.py OUTPUT_DIR

Every person, number and place is invented. NHS numbers come from the 999 000 0000 test range
and carry a valid modulus-11 check digit. The output is byte-for-byte the same on every run:
all randomness comes from fixed seeds and no file records a timestamp.

Needs only Debian packages: python3-pil, python3-numpy, python3-img2pdf, fonts-dejavu-core and
fonts-liberation2.
"""

import csv
import datetime
import functools
import io
import json
import math
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import img2pdf
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

SEED = 20210303
A4_MM = (210.0, 297.0)
MAX_TOTAL_BYTES = 6 * 1024 * 1024

FONT_FILES = {
    "sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "sans-bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "serif": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "serif-bold": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
    "lsans": "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "lsans-bold": "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
}

TRUST = "Northgate General Hospital NHS Trust"
TRUST_ADDRESS = "Infirmary Road, Northgate, HX1 2YR"
# 01632 960000-960999 is Ofcom's range reserved for drama, so no real line can be dialled.
TRUST_PHONES = "Telephone: 01632 960123   Fax: 01632 960124"


# --- NHS numbers -------------------------------------------------------------------------------

def nhs_check_digit(first_nine):
    """The modulus-11 check digit for nine digits, or None when no valid number can end them."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def is_valid_nhs_number(digits):
    """True when `digits` is ten digits whose last is the check digit of the first nine."""
    if not re.fullmatch(r"\d{10}", digits):
        return False
    return nhs_check_digit(digits[:9]) == int(digits[9])


def new_nhs_number(rng, taken):
    """A fresh valid NHS number in the 999 test range, not in `taken`."""
    while True:
        first_nine = "999" + "".join(rng.choice("0123456789") for _ in range(6))
        check = nhs_check_digit(first_nine)
        if check is None:
            continue
        number = first_nine + str(check)
        if number not in taken:
            assert is_valid_nhs_number(number)
            taken.add(number)
            return number


def nhs_spaced(n):
    return f"{n[:3]} {n[3:6]} {n[6:]}"


def nhs_dashed(n):
    return f"{n[:3]}-{n[3:6]}-{n[6:]}"


def new_hospital_number(rng, taken):
    """A fresh hospital number: the letter K and seven digits."""
    while True:
        number = "K" + "".join(rng.choice("0123456789") for _ in range(7))
        if number not in taken:
            taken.add(number)
            return number


# --- Patients ----------------------------------------------------------------------------------

@dataclass
class Patient:
    title: str
    given_names: str
    family_name: str  # upper case, as the PMI and the name convention hold it
    sex: str
    date_of_birth: datetime.date
    address_lines: list
    postcode: str
    nhs_number: str = ""
    hospital_number: str = ""

    @property
    def filing_name(self):
        """The name convention of the ground truth: "FAMILY, Given Middle"."""
        return f"{self.family_name}, {self.given_names}"

    @property
    def display_name(self):
        return f"{self.title} {self.given_names} {self.family_name}"


def document_patients(rng, nhs_taken, hosp_taken):
    """The six patients the bundled documents are about, keyed by family name."""
    people = [
        Patient("Mr", "John Paul", "SMITH", "M", datetime.date(1950, 3, 4),
                ["14 Larch Avenue", "Headingley", "Northgate"], "LS6 2QT"),
        Patient("Ms", "Adaeze Ngozi", "OKAFOR", "F", datetime.date(1962, 11, 12),
                ["7 Weaver Court", "Bramley", "Northgate"], "LS13 3DF"),
        Patient("Mr", "Rajesh Kumar", "PATEL", "M", datetime.date(1978, 8, 27),
                ["221 Harehills Lane", "Northgate"], "LS8 4HX"),
        Patient("Mr", "Gareth Rhys", "JONES", "M", datetime.date(1971, 6, 21),
                ["3 Quarry Hill Cottages", "Oakworth", "Northgate"], "BD22 7QS"),
        Patient("Ms", "Katarzyna Anna", "NOWAK", "F", datetime.date(1985, 1, 19),
                ["Flat 5, 88 Kirkgate", "Northgate"], "WF1 1UA"),
        Patient("Mrs", "Margaret Elizabeth", "BROWN", "F", datetime.date(1941, 12, 30),
                ["Flat 2, 41 Victoria Road", "Northgate"], "HX3 6AE"),
    ]
    for p in people:
        p.nhs_number = new_nhs_number(rng, nhs_taken)
        p.hospital_number = new_hospital_number(rng, hosp_taken)
    return {p.family_name: p for p in people}


# Other PMI rows. SMITH and JONES recur on purpose: a matcher must not file by family name alone.
OTHER_PMI_PEOPLE = [
    ("SMITH", "Joan Margaret", "F", datetime.date(1953, 7, 19), "LS6 3AB"),
    ("JONES", "Eleri", "F", datetime.date(1990, 2, 14), "BD21 4LT"),
    ("AHMED", "Yusuf", "M", datetime.date(2001, 9, 3), "BD7 1DP"),
    ("WILLIAMS", "Sarah Louise", "F", datetime.date(1968, 4, 30), "HX2 7PW"),
    ("O'BRIEN", "Declan", "M", datetime.date(1947, 10, 8), "LS9 6RQ"),
    ("KOWALSKI", "Piotr", "M", datetime.date(1979, 12, 1), "WF2 8NS"),
    ("THOMPSON", "Grace", "F", datetime.date(1936, 5, 22), "HX1 5TG"),
    ("MENSAH", "Kwame Kofi", "M", datetime.date(1994, 8, 16), "LS11 5JD"),
    ("HUGHES-DAVIES", "Rhiannon", "F", datetime.date(1982, 3, 11), "BD18 3HZ"),
    ("CHEN", "Li Wei", "M", datetime.date(1975, 1, 27), "LS2 9JT"),
]


def write_pmi(path, doc_people, rng, nhs_taken, hosp_taken):
    """Writes the PMI: the filed documents' patients as printed, the referral's patient with a
    different date of birth, the not-on-file patient left out, and other people."""
    rows = []
    for name in ("SMITH", "OKAFOR", "PATEL", "JONES", "BROWN"):
        p = doc_people[name]
        dob = p.date_of_birth
        if name == "JONES":
            # Transposed day digits (21 -> 12): an entry error that must send the letter to review.
            dob = datetime.date(dob.year, dob.month, 12)
            assert dob != p.date_of_birth
        rows.append([p.nhs_number, p.hospital_number, p.family_name, p.given_names,
                     dob.isoformat(), p.sex, p.postcode])
    for i, (family, given, sex, dob, postcode) in enumerate(OTHER_PMI_PEOPLE):
        # One row lacks an NHS number, as for a patient not yet traced on the national spine.
        nhs = "" if i == 5 else new_nhs_number(rng, nhs_taken)
        rows.append([nhs, new_hospital_number(rng, hosp_taken), family, given,
                     dob.isoformat(), sex, postcode])
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["nhs_number", "hospital_number", "family_name", "given_names",
                         "date_of_birth", "sex", "postcode"])
        writer.writerows(rows)


# --- Page layout -------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def font(face, size_px):
    return ImageFont.truetype(FONT_FILES[face], size_px)


@dataclass
class Style:
    regular: str
    bold: str
    body_pt: float


class PageWriter:
    """Lays text out top to bottom on one upright white page and keeps the lines it drew."""

    def __init__(self, style, dpi=300, margins_mm=(20.0, 20.0)):
        self.style = style
        self.dpi = dpi
        width, height = (round(mm / 25.4 * dpi) for mm in A4_MM)
        self.image = Image.new("L", (width, height), 255)
        self.draw = ImageDraw.Draw(self.image)
        self.left = self.mm(margins_mm[0])
        self.right = width - self.mm(margins_mm[0])
        self.bottom = height - self.mm(margins_mm[1])
        self.y = self.mm(margins_mm[1])
        self.lines = []

    def mm(self, mm):
        return round(mm / 25.4 * self.dpi)

    def font(self, bold=False, pt=None):
        face = self.style.bold if bold else self.style.regular
        return font(face, round((pt or self.style.body_pt) * self.dpi / 72))

    def line(self, *runs, align="left", indent_mm=0.0):
        """Draws one line of (text, font) runs on a shared baseline and records its text."""
        size = max(f.size for _, f in runs)
        width = sum(f.getlength(t) for t, f in runs)
        x = self.right - width if align == "right" else self.left + self.mm(indent_mm)
        assert x >= self.left and x + width <= self.right, f"line too wide: {runs}"
        baseline = self.y + round(size * 0.95)
        for text, f in runs:
            self.draw.text((x, baseline), text, font=f, fill=0, anchor="ls")
            x += f.getlength(text)
        self.y += round(size * 1.3)
        assert self.y <= self.bottom, "page overflows its bottom margin"
        self.lines.append("".join(t for t, _ in runs))

    def text(self, text, bold=False, pt=None, align="left", indent_mm=0.0):
        self.line((text, self.font(bold, pt)), align=align, indent_mm=indent_mm)

    def labelled(self, label, value, continuation=()):
        """A bold label followed by its value; continuation lines line up under the value."""
        bold, regular = self.font(bold=True), self.font()
        self.line((label + " ", bold), (value, regular))
        indent_px = bold.getlength(label + " ")
        for extra in continuation:
            self.line((extra, regular), indent_mm=indent_px / self.dpi * 25.4)

    def paragraph(self, text, bold=False):
        """Word-wraps `text` to the text width."""
        f = self.font(bold)
        words = text.split()
        current = words[0]
        for word in words[1:]:
            if f.getlength(current + " " + word) <= self.right - self.left:
                current += " " + word
            else:
                self.line((current, f))
                current = word
        self.line((current, f))

    def table_row(self, cells, column_mm, bold=False):
        """Cells drawn at column offsets on one baseline; recorded as one space-joined line."""
        f = self.font(bold)
        size = f.size
        baseline = self.y + round(size * 0.95)
        for text, offset in zip(cells, column_mm):
            x = self.left + self.mm(offset)
            assert x + f.getlength(text) <= self.right, f"cell too wide: {text}"
            self.draw.text((x, baseline), text, font=f, fill=0, anchor="ls")
        self.y += round(size * 1.3)
        assert self.y <= self.bottom, "page overflows its bottom margin"
        self.lines.append(" ".join(c for c in cells if c))

    def gap(self, lines=1.0):
        self.y += round(self.font().size * 1.3 * lines)


def trust_header(page, department):
    page.text(TRUST, bold=True, pt=16)
    page.text(department, bold=True, pt=12)
    page.text(TRUST_ADDRESS)
    page.text(TRUST_PHONES)


# --- Documents ---------------------------------------------------------------------------------

def long_date(d):
    return f"{d.day} {d.strftime('%B %Y')}"


@dataclass
class Scan:
    """How one page went through the scanner."""
    skew_degrees: float            # counter-clockwise positive: text rising to the right
    rotation_degrees: int = 0      # clockwise turn that makes the page upright again
    blur_radius: float = 0.6
    noise_sigma: float = 0.0       # Gaussian grain, in grey levels
    speckles: int = 150
    uneven_background: bool = False
    border: str = ""               # edge that shows the dark scanner lid strip, if any


@dataclass
class Document:
    file: str
    document_type: str
    expected_status: str
    patient: Patient
    document_date: datetime.date
    document_date_label: str       # the printed label of the date taken as the document date
    pages: list                    # PageWriter, upright
    scans: list                    # Scan per page
    review_reason: str = ""


def clinic_letter_smith(p):
    page = PageWriter(Style("serif", "serif-bold", 11.5))
    trust_header(page, "Department of Cardiology")
    page.gap()
    date = datetime.date(2021, 3, 3)
    page.text(long_date(date), align="right")
    page.text("Our ref: CARD/KJ/202103034812")
    page.gap()
    for gp_line in ["Dr A Hughes", "Riverside Medical Practice", "22 Mill Lane", "Northgate",
                    "LS7 3PJ"]:
        page.text(gp_line)
    page.gap()
    page.text("Dear Dr Hughes,")
    page.gap(0.5)
    page.labelled("Patient:", p.display_name)
    page.labelled("Date of Birth:", p.date_of_birth.strftime("%d/%m/%Y"))
    page.labelled("NHS No:", nhs_spaced(p.nhs_number))
    page.labelled("Hospital No:", p.hospital_number)
    page.labelled("Address:", p.address_lines[0], p.address_lines[1:] + [p.postcode])
    page.gap(0.5)
    page.text("Diagnosis:", bold=True)
    page.text("1. Paroxysmal atrial fibrillation (CHA2DS2-VASc score 3)")
    page.text("2. Essential hypertension")
    page.text("3. Type 2 diabetes mellitus, diet controlled")
    page.gap(0.5)
    page.paragraph(
        "I saw Mr Smith in the cardiology outpatient clinic on 24 February 2021. He was "
        "referred with intermittent palpitations and two episodes of light-headedness over the "
        "past four months. He denies chest pain, syncope or breathlessness on exertion and "
        "remains independent with his daily activities.")
    page.gap(0.5)
    page.paragraph(
        "On examination his pulse was 78 beats per minute and irregular, and his blood pressure "
        "was 148/86 mmHg. Heart sounds were normal and his chest was clear. A 24-hour Holter "
        "monitor showed paroxysms of atrial fibrillation lasting up to forty minutes, with a "
        "ventricular rate of up to 132 beats per minute. His echocardiogram showed a "
        "structurally normal heart with good left ventricular function.")
    page.gap(0.5)
    page.paragraph(
        "Given his stroke risk I have started apixaban 5 mg twice daily and bisoprolol 2.5 mg "
        "once daily. I would be grateful if you could check his renal function and full blood "
        "count in four weeks, and increase his ramipril to 5 mg daily if his blood pressure "
        "remains above target.")
    page.gap(0.5)
    page.paragraph(
        "We will review him in the clinic on 15/09/2021. Should his symptoms worsen in the "
        "meantime, he can contact the arrhythmia nurses on 01632 960457.")
    page.gap(0.5)
    page.text("Yours sincerely,")
    page.gap()
    page.text("Dr Katherine Jarvis")
    page.text("Consultant Cardiologist")
    return Document("clinic_letter_smith.png", "clinic_letter", "filed", p, date,
                    "unlabelled date at the top right", [page],
                    [Scan(2.5, blur_radius=0.8, speckles=400)])


def discharge_summary_okafor(p):
    style = Style("sans", "sans-bold", 10)
    admitted, discharged = datetime.date(2022, 5, 2), datetime.date(2022, 5, 9)
    first = PageWriter(style)
    trust_header(first, "Ward 12, Acute Medical Unit")
    first.gap()
    first.text("DISCHARGE SUMMARY", bold=True, pt=13)
    first.gap(0.5)
    first.labelled("Name:", p.filing_name)
    first.labelled("DOB:", p.date_of_birth.strftime("%d %b %Y").lstrip("0"))
    first.labelled("NHS No:", nhs_dashed(p.nhs_number))
    first.labelled("MRN:", p.hospital_number)
    first.labelled("Address:", p.address_lines[0], p.address_lines[1:] + [p.postcode])
    first.gap(0.5)
    first.labelled("Date of admission:", admitted.strftime("%d/%m/%Y"))
    first.labelled("Date of discharge:", discharged.strftime("%d/%m/%Y"))
    first.labelled("Consultant:", "Dr M Osei, Respiratory Medicine")
    first.labelled("GP:", "Dr P Whitcombe", ["Oakfield Surgery", "5 Church Street, Northgate",
                                             "LS12 4RT"])
    first.gap(0.5)
    first.labelled("Diagnosis on discharge:", "Community-acquired pneumonia, right lower lobe")
    first.labelled("Co-morbidities:", "Asthma; hypothyroidism")
    first.gap(0.5)
    first.text("Presenting complaint", bold=True)
    first.paragraph(
        "Ms Okafor presented to the Emergency Department with a five-day history of productive "
        "cough, fever and pleuritic right-sided chest pain. On arrival she was tachycardic at "
        "112 beats per minute, with oxygen saturations of 91% on room air and a temperature of "
        "38.6 C. Her CURB-65 score was 1.")
    first.gap(0.5)
    first.text("Investigations", bold=True)
    first.paragraph(
        "Chest radiograph showed consolidation in the right lower zone. C-reactive protein was "
        "186 mg/L on admission, falling to 24 mg/L by the day of discharge. Blood cultures "
        "taken on 02/05/2022 showed no growth after five days. Sputum culture grew "
        "Streptococcus pneumoniae sensitive to amoxicillin.")
    first.gap(0.5)
    first.text("Clinical course", bold=True)
    first.paragraph(
        "She was treated with intravenous amoxicillin and oral clarithromycin and needed "
        "supplemental oxygen for the first 48 hours. Her inhaled therapy was continued. She was "
        "switched to oral antibiotics on 05/05/2022 and mobilised independently with "
        "physiotherapy support. Continued overleaf.")

    second = PageWriter(style)
    second.text(TRUST, bold=True)
    second.text(f"{p.filing_name}   NHS No: {nhs_dashed(p.nhs_number)}   Page 2 of 2")
    second.gap()
    second.text("Medication on discharge", bold=True)
    for medicine in [
            "Amoxicillin 500 mg three times daily for 2 more days (7 days in total)",
            "Beclometasone 200 micrograms inhaler, 2 puffs twice daily",
            "Salbutamol 100 micrograms inhaler, 2 puffs when required",
            "Levothyroxine 75 micrograms once daily (unchanged)",
            "Paracetamol 1 g four times daily when required"]:
        second.text(medicine, indent_mm=5)
    second.gap(0.5)
    second.text("Follow-up", bold=True)
    second.paragraph(
        "A repeat chest radiograph has been requested for six weeks' time to confirm "
        "resolution, and she will be seen in the respiratory clinic on 20/06/2022. Please "
        "arrange a repeat C-reactive protein at the surgery if her symptoms recur.")
    second.gap(0.5)
    second.text("Information given to the patient", bold=True)
    second.paragraph(
        "Ms Okafor was advised to complete her antibiotic course, to seek medical advice if her "
        "fever returns or her breathing worsens, and to avoid smoke exposure. She was given a "
        "copy of this summary.")
    second.gap()
    second.labelled("Completed by:", "Dr Laura Fenwick, Specialty Registrar")
    second.labelled("Ward telephone:", "01632 960451")
    second.labelled("Summary completed:", discharged.strftime("%d/%m/%Y"))
    return Document("discharge_summary_okafor.tif", "discharge_summary", "filed", p, discharged,
                    "Date of discharge", [first, second],
                    [Scan(-4.0, speckles=120, border="left"),
                     Scan(0.6, rotation_degrees=180, speckles=80)])


RESULT_HEADER = ("Test", "Result", "Units", "Reference range", "Flag")
RESULT_COLUMNS_MM = (0, 60, 84, 116, 154)


def results_table(page, heading, rows):
    page.text(heading, bold=True)
    for row in rows:
        page.table_row(row, RESULT_COLUMNS_MM)


def lab_report_patel(p):
    style = Style("sans", "sans-bold", 10)
    reported = datetime.date(2023, 7, 14)
    first = PageWriter(style)
    trust_header(first, "Department of Clinical Biochemistry")
    first.gap()
    first.text("LABORATORY REPORT", bold=True, pt=13)
    first.gap(0.5)
    first.labelled("Name:", p.filing_name)
    first.labelled("D.O.B.", p.date_of_birth.strftime("%d-%b-%Y"))
    first.labelled("NHS Number:", p.nhs_number)
    first.labelled("Hosp No:", p.hospital_number)
    first.labelled("Address:", p.address_lines[0], p.address_lines[1:] + [p.postcode])
    first.gap(0.5)
    first.labelled("Requested by:", "Dr S Malik", ["Chapeltown Health Centre",
                                                   "9 Spencer Place, Northgate", "LS7 4BB"])
    first.labelled("Lab No:", "23-0714-882615")
    first.labelled("Specimen:", "Serum")
    first.labelled("Collected:", "13/07/2023 08:40")
    first.labelled("Received:", "13/07/2023 11:02")
    first.labelled("Reported:", reported.strftime("%d/%m/%Y"))
    first.gap()
    first.table_row(RESULT_HEADER, RESULT_COLUMNS_MM, bold=True)
    results_table(first, "Urea and electrolytes", [
        ("Sodium", "139", "mmol/L", "133 - 146", ""),
        ("Potassium", "5.6", "mmol/L", "3.5 - 5.3", "H"),
        ("Urea", "9.8", "mmol/L", "2.5 - 7.8", "H"),
        ("Creatinine", "142", "umol/L", "59 - 104", "H"),
        ("eGFR", "49", "mL/min", "> 90", "L"),
    ])
    first.gap(0.5)
    results_table(first, "Liver function", [
        ("Bilirubin", "11", "umol/L", "0 - 21", ""),
        ("ALT", "38", "U/L", "0 - 41", ""),
        ("ALP", "96", "U/L", "30 - 130", ""),
        ("Albumin", "41", "g/L", "35 - 50", ""),
    ])
    first.gap(0.5)
    first.text("Continued on page 2")

    second = PageWriter(style)
    second.text(TRUST, bold=True)
    second.text(f"{p.filing_name}   NHS Number: {p.nhs_number}   Page 2 of 2")
    second.gap()
    second.table_row(RESULT_HEADER, RESULT_COLUMNS_MM, bold=True)
    results_table(second, "Diabetes and lipids", [
        ("HbA1c", "61", "mmol/mol", "20 - 41", "H"),
        ("Cholesterol", "5.9", "mmol/L", "< 5.0", "H"),
        ("HDL cholesterol", "1.1", "mmol/L", "> 1.0", ""),
        ("Triglycerides", "2.4", "mmol/L", "< 1.7", "H"),
    ])
    second.gap()
    second.text("Comment", bold=True)
    second.paragraph(
        "Raised potassium with reduced eGFR compared with the result of 22/03/2023 (eGFR 63). "
        "No haemolysis detected. Suggest repeat urea and electrolytes within two weeks, by "
        "28/07/2023, and review of the ramipril dose. Results telephoned to the surgery on "
        "01632 960789.")
    second.gap()
    second.labelled("Authorised by:", "Dr J Chen, Consultant Clinical Scientist")
    return Document("lab_report_patel.pdf", "lab_report", "filed", p, reported, "Reported",
                    [first, second],
                    [Scan(1.5, noise_sigma=2.0, speckles=200, uneven_background=True),
                     Scan(1.0, noise_sigma=2.0, speckles=150, uneven_background=True)])


def referral_jones(p):
    # Wider margins keep every corner of the text on the page once it is turned 8 degrees.
    page = PageWriter(Style("serif", "serif-bold", 10.5), margins_mm=(26.0, 28.0))
    page.text("Riverside Medical Practice", bold=True, pt=15)
    page.text("22 Mill Lane, Northgate, LS7 3PJ")
    page.text("Tel: 01632 960222")
    page.gap()
    letter_date = datetime.date(2022, 10, 6)
    page.text("Date: " + letter_date.strftime("%d/%m/%Y"), align="right")
    page.text("The Consultant Gastroenterologist")
    page.text(TRUST)
    page.text(TRUST_ADDRESS)
    page.gap()
    page.text("REFERRAL LETTER: GASTROENTEROLOGY (URGENT)", bold=True)
    page.labelled("Date referred:", "04/10/2022")
    page.labelled("e-Referral UBRN:", "0004 5521 9087")
    page.gap(0.5)
    page.labelled("Patient:", p.display_name)
    page.labelled("Date of birth:", p.date_of_birth.strftime("%d.%m.%Y"))
    page.labelled("NHS No:", nhs_spaced(p.nhs_number))
    page.labelled("Unit No:", p.hospital_number)
    page.labelled("Address:", p.address_lines[0], p.address_lines[1:] + [p.postcode])
    page.gap(0.5)
    page.text("Dear Colleague,")
    page.gap(0.5)
    page.paragraph(
        "Thank you for seeing this 51-year-old man with a three-month history of epigastric "
        "discomfort, early satiety and unintentional weight loss of around 6 kg. He has no "
        "dysphagia and has not noticed rectal bleeding or a change in bowel habit.")
    page.gap(0.5)
    page.paragraph(
        "Blood tests on 28/09/2022 showed haemoglobin 104 g/L (141 g/L last year), MCV 74 fL "
        "and ferritin 9 ug/L. Coeliac serology was negative. He takes naproxen intermittently "
        "for back pain, which I have asked him to stop, and he has started omeprazole.")
    page.gap(0.5)
    page.paragraph(
        "Past history: hypertension, lumbar spondylosis. Medication: amlodipine 5 mg daily, "
        "omeprazole 20 mg daily, ferrous fumarate 210 mg twice daily. No known drug allergies. "
        "He is a non-smoker and drinks around 10 units of alcohol a week.")
    page.gap(0.5)
    page.paragraph(
        "I would be grateful if you could arrange upper and lower gastrointestinal endoscopy. "
        "He knows the reason for referral and can attend at short notice; his mobile number is "
        "07700 900461.")
    page.gap(0.5)
    page.text("Yours sincerely,")
    page.gap()
    page.text("Dr Anna Hughes")
    page.text("General Practitioner")
    return Document("referral_jones.pdf", "referral", "needs_review", p, letter_date, "Date",
                    [page], [Scan(-8.0, speckles=150)],
                    review_reason="the PMI holds this NHS number with a different date of "
                                  "birth (1971-06-12)")


def clinic_letter_nowak(p):
    page = PageWriter(Style("lsans", "lsans-bold", 10.5), dpi=200)
    trust_header(page, "Department of Dermatology")
    page.gap()
    date = datetime.date(2024, 1, 17)
    page.text("Letter date: " + long_date(date), align="right")
    page.text("Ref: DERM/RB/24011700931")
    page.labelled("Clinic date:", "10/01/2024")
    page.gap()
    for gp_line in ["Dr T Bellamy", "Moorside Surgery", "18 Station Road", "Northgate",
                    "HX2 0BQ"]:
        page.text(gp_line)
    page.gap()
    page.text("Dear Dr Bellamy,")
    page.gap(0.5)
    page.labelled("Name:", p.filing_name)
    page.labelled("Date of birth:", long_date(p.date_of_birth))
    page.labelled("NHS No:", nhs_spaced(p.nhs_number))
    page.labelled("Unit No:", p.hospital_number)
    page.labelled("Address:", p.address_lines[0], p.address_lines[1:] + [p.postcode])
    page.gap(0.5)
    page.labelled("Diagnosis:", "Chronic plaque psoriasis")
    page.gap(0.5)
    page.paragraph(
        "I reviewed Ms Nowak in the dermatology clinic on 10 January 2024. She has a ten-year "
        "history of plaque psoriasis affecting her elbows, knees and scalp, which has become "
        "more extensive over the past year despite regular use of a potent topical steroid and "
        "a vitamin D analogue. Her PASI score today was 11.4 and her DLQI was 14.")
    page.gap(0.5)
    page.paragraph(
        "She has no joint symptoms to suggest psoriatic arthritis. She does not drink alcohol "
        "and is not planning a pregnancy in the next year.")
    page.gap(0.5)
    page.paragraph(
        "We agreed to start narrowband UVB phototherapy twice weekly for ten weeks. If her "
        "response is inadequate we will consider methotrexate, for which baseline blood tests "
        "were taken today.")
    page.gap(0.5)
    page.paragraph(
        "She will be reviewed in the clinic on 22/04/2024. The phototherapy unit can be "
        "reached on 01632 960612.")
    page.gap(0.5)
    page.text("Yours sincerely,")
    page.gap()
    page.text("Dr Rebecca Bose")
    page.text("Consultant Dermatologist")
    return Document("clinic_letter_nowak.jpg", "clinic_letter", "needs_review", p, date,
                    "Letter date", [page],
                    [Scan(0.8, blur_radius=0.5, noise_sigma=2.5, speckles=120, border="right")],
                    review_reason="no patient in the PMI has these identifiers")


def lab_report_brown(p):
    page = PageWriter(Style("lsans", "lsans-bold", 10.5))
    reported = datetime.date(2024, 2, 8)
    trust_header(page, "Department of Haematology")
    page.gap()
    page.text("LABORATORY REPORT", bold=True, pt=13)
    page.gap(0.5)
    page.labelled("Patient:", p.display_name)
    page.labelled("DOB:", p.date_of_birth.strftime("%d/%m/%Y"))
    page.labelled("NHS No:", nhs_dashed(p.nhs_number))
    page.labelled("Hosp No:", p.hospital_number)
    page.labelled("Address:", p.address_lines[0], p.address_lines[1:] + [p.postcode])
    page.gap(0.5)
    page.labelled("Requested by:", "Dr P Whitcombe", ["Oakfield Surgery",
                                                      "5 Church Street, Northgate", "LS12 4RT"])
    page.labelled("Sample No:", "H24-0207-557102")
    page.labelled("Collected:", "07/02/2024 09:15")
    page.labelled("Reported:", reported.strftime("%d/%m/%Y"))
    page.gap()
    page.table_row(RESULT_HEADER, RESULT_COLUMNS_MM, bold=True)
    results_table(page, "Full blood count", [
        ("Haemoglobin", "98", "g/L", "115 - 165", "L"),
        ("White cell count", "6.2", "10^9/L", "4.0 - 11.0", ""),
        ("Platelets", "412", "10^9/L", "150 - 400", "H"),
        ("MCV", "71", "fL", "80 - 100", "L"),
        ("MCH", "23.1", "pg", "27 - 32", "L"),
        ("Neutrophils", "4.1", "10^9/L", "2.0 - 7.5", ""),
    ])
    page.gap(0.5)
    results_table(page, "Haematinics", [
        ("Ferritin", "6", "ug/L", "15 - 300", "L"),
        ("Vitamin B12", "312", "ng/L", "180 - 900", ""),
        ("Folate", "7.4", "ug/L", "3.0 - 20.0", ""),
    ])
    page.gap()
    page.text("Comment", bold=True)
    page.paragraph(
        "Microcytic anaemia with low ferritin, consistent with iron deficiency. At this age, "
        "gastrointestinal investigation should be considered. Suggest a repeat full blood count "
        "after four weeks of oral iron, on or after 07/03/2024.")
    page.gap()
    page.labelled("Authorised by:", "Dr H Ellison, Consultant Haematologist")
    return Document("lab_report_brown.tif", "lab_report", "filed", p, reported, "Reported",
                    [page], [Scan(-1.0, rotation_degrees=270, speckles=60)])


# --- Scanning ----------------------------------------------------------------------------------

def assert_skew_keeps_ink(image, skew_degrees, margin_px):
    """Fails unless turning the page by the skew keeps all of its ink inside the page."""
    left, top, right, bottom = Image.eval(image, lambda v: 255 - v).getbbox()
    cx, cy = image.width / 2, image.height / 2
    a = math.radians(skew_degrees)
    for x, y in [(left, top), (right, top), (left, bottom), (right, bottom)]:
        dx, dy = x - cx, y - cy
        # Image rows grow downwards, so a counter-clockwise turn is this mirrored rotation.
        rx = cx + dx * math.cos(a) + dy * math.sin(a)
        ry = cy - dx * math.sin(a) + dy * math.cos(a)
        assert margin_px <= rx <= image.width - margin_px, "skew pushes text off the page"
        assert margin_px <= ry <= image.height - margin_px, "skew pushes text off the page"


def scan_page(page, scan, rng):
    """The page as a scanner would return it in grey: turned, shaded, blurred and speckled."""
    assert_skew_keeps_ink(page.image, scan.skew_degrees, page.mm(3))
    turned = page.image.rotate(scan.skew_degrees, resample=Image.BICUBIC, fillcolor=255)
    if scan.rotation_degrees:
        # Image.rotate turns counter-clockwise, undoing the clockwise turn that restores it.
        turned = turned.rotate(scan.rotation_degrees, expand=True)
    ink = 1.0 - np.asarray(turned, dtype=np.float32) / 255.0
    height, width = ink.shape

    paper = np.full(ink.shape, 243.0, dtype=np.float32)
    if scan.uneven_background:
        # A lid that does not close flat shades one side of the page.
        ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
        paper -= 26.0 * (xs / width) ** 2 + 10.0 * (ys / height)
    grey = paper - ink * (paper - 28.0)

    if scan.border:
        # The lid's dark edge: a strip with a ragged inner boundary.
        strip = 18 + np.cumsum(rng.randint(-1, 2, size=max(height, width))).clip(-8, 8)
        for i in range(height if scan.border in ("left", "right") else width):
            depth = int(strip[i])
            if scan.border == "left":
                grey[i, :depth] = 35.0
            elif scan.border == "right":
                grey[i, width - depth:] = 35.0
            else:
                grey[:depth, i] = 35.0

    placed = 0
    while placed < scan.speckles:
        y, x = rng.randint(0, height - 4), rng.randint(0, width - 4)
        # Dust on the glass, kept clear of the text so that every ground-truth field stays
        # readable: a speck inside "WF1 1UA" would make the samples test the dust, not the code.
        if ink[max(0, y - 15):y + 20, max(0, x - 15):x + 20].max() > 0.05:
            continue
        size = rng.randint(1, 4)
        grey[y:y + size, x:x + size] = rng.randint(20, 120)
        placed += 1

    image = Image.fromarray(grey.clip(0, 255).astype(np.uint8), "L")
    image = image.filter(ImageFilter.GaussianBlur(scan.blur_radius))
    if scan.noise_sigma:
        grey = np.asarray(image, dtype=np.float32)
        # Rounded to whole levels: grain of a few levels is what a scanner shows.
        grey += np.round(rng.normal(0.0, scan.noise_sigma, size=grey.shape))
        image = Image.fromarray(grey.clip(0, 255).astype(np.uint8), "L")
    return image


def bilevel(grey):
    """The black-and-white image a scanner's fax mode keeps: dark below a fixed threshold."""
    return grey.point(lambda v: 255 if v > 150 else 0).convert("1", dither=Image.NONE)


# --- Writers -----------------------------------------------------------------------------------

def pdf_from_images(image_bytes, path):
    # The internal engine without dates writes identical bytes on every run.
    path.write_bytes(img2pdf.convert(image_bytes, engine=img2pdf.Engine.internal, nodate=True))


def write_document(doc, out_dir, rng):
    """Scans every page of `doc` and stores them in the file format its name asks for."""
    images = [scan_page(page, scan, rng) for page, scan in zip(doc.pages, doc.scans)]
    dpi = (doc.pages[0].dpi, doc.pages[0].dpi)
    path = out_dir / doc.file
    if doc.file == "clinic_letter_smith.png":
        images[0].save(path, dpi=dpi, optimize=True)
    elif doc.file == "discharge_summary_okafor.tif":
        pages = [bilevel(im) for im in images]
        pages[0].save(path, compression="group4", dpi=dpi, save_all=True,
                      append_images=pages[1:])
    elif doc.file == "lab_report_patel.pdf":
        jpegs = []
        for im in images:
            buffer = io.BytesIO()
            im.save(buffer, "JPEG", quality=80, dpi=dpi)
            jpegs.append(buffer.getvalue())
        pdf_from_images(jpegs, path)
    elif doc.file == "referral_jones.pdf":
        page = bilevel(images[0])
        buffer = io.BytesIO()
        # PDF holds a CCITT image as one strip; img2pdf copies such a strip through untouched.
        page.save(buffer, "TIFF", compression="group4", dpi=dpi,
                  strip_size=(page.width + 7) // 8 * page.height)
        pdf_from_images([buffer.getvalue()], path)
    elif doc.file == "clinic_letter_nowak.jpg":
        images[0].save(path, "JPEG", quality=80, dpi=dpi)
    elif doc.file == "lab_report_brown.tif":
        images[0].save(path, compression="tiff_lzw", dpi=dpi)
    else:
        raise ValueError(f"no writer for {doc.file}")


# --- Ground truth ------------------------------------------------------------------------------

NHS_LIKE = re.compile(r"(?<![\d-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d-])")


def assert_no_decoy_nhs_number(doc):
    """Fails when any number on the pages other than the patient's could pass as an NHS
    number: distractors must be beatable by an extractor that checks the checksum."""
    for page in doc.pages:
        for line in page.lines:
            for match in NHS_LIKE.finditer(line):
                digits = "".join(match.groups())
                if is_valid_nhs_number(digits):
                    assert digits == doc.patient.nhs_number, f"decoy NHS number in: {line}"


def truth_entry(doc):
    p = doc.patient
    entry = {
        "file": doc.file,
        "document_type": doc.document_type,
        "expected_status": doc.expected_status,
        "fields": {
            "nhs_number": p.nhs_number,
            "hospital_number": p.hospital_number,
            "patient_name": p.filing_name,
            "date_of_birth": p.date_of_birth.isoformat(),
            "postcode": p.postcode,
            "document_date": doc.document_date.isoformat(),
        },
        "document_date_label": doc.document_date_label,
        "pages": [
            {
                "number": i + 1,
                "rotation_degrees": scan.rotation_degrees,
                "skew_degrees": scan.skew_degrees,
                "dpi": page.dpi,
                "text": "\n".join(page.lines),
            }
            for i, (page, scan) in enumerate(zip(doc.pages, doc.scans))
        ],
    }
    if doc.review_reason:
        entry["review_reason"] = doc.review_reason
    return entry


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: generate.py OUTPUT_DIR")
    out_dir = Path(argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)

    data_rng = random.Random(SEED)
    nhs_taken, hosp_taken = set(), set()
    people = document_patients(data_rng, nhs_taken, hosp_taken)
    documents = [
        clinic_letter_smith(people["SMITH"]),
        discharge_summary_okafor(people["OKAFOR"]),
        lab_report_patel(people["PATEL"]),
        referral_jones(people["JONES"]),
        clinic_letter_nowak(people["NOWAK"]),
        lab_report_brown(people["BROWN"]),
    ]

    pixel_rng = np.random.RandomState(SEED)
    for doc in documents:
        assert_no_decoy_nhs_number(doc)
        write_document(doc, out_dir, pixel_rng)
    with open(out_dir / "ground_truth.json", "w") as f:
        json.dump([truth_entry(doc) for doc in documents], f, indent=2)
        f.write("\n")
    write_pmi(out_dir / "patients.csv", people, data_rng, nhs_taken, hosp_taken)

    total = 0
    for doc in documents:
        size = (out_dir / doc.file).stat().st_size
        total += size
        print(f"{doc.file:32} {size:>9} bytes")
    assert total <= MAX_TOTAL_BYTES, f"samples total {total} bytes, over the budget"


if __name__ == "__main__":
    main(sys.argv)
