#!/usr/bin/python3
"""Writes the extraction evaluation set: synthetic scanned clinic letters, discharge summaries,
lab reports and referrals, laid out in the ways hospitals write them and full of the traps that
make an extractor pick the wrong value, with the ground truth and a patient master index (PMI).

Usage: /usr/bin/python3 samples/generate_eval.py [--seed N] OUTPUT_DIR

Another seed draws another set of the same make, to check that extraction was not tuned to one.

Writes into OUTPUT_DIR: the documents (PNG, JPEG, TIFF and PDF), ground_truth.json and
patients.csv. The set is generated on demand (by the extraction benchmark and its test), not
kept in the repository; the output is the same on every run.

Ground truth conventions (see docs/extraction.md):
- `fields` holds every field the document states unambiguously, normalised as the export writes
  it. A field kind missing from `fields` must not be extracted: it is not printed, or the
  document contradicts itself about it (the `conflict` scenario).
- `expected_status` is `filed` when a labelled, valid NHS number or hospital number names one PMI
  patient, the PMI holds the date of birth printed, and nothing on the document contradicts
  itself or that patient; `review_reason` says why otherwise.
- `patient` holds the identifiers of the person the document is about, to check whom it was
  filed to.
- `scenario` names the document's special case; `traps` lists the distractors printed on it.

Every person, number and place is invented; NHS numbers are in the 999 test range, phone
numbers in Ofcom's drama ranges (01632 960xxx, 07700 900xxx).
"""

import csv
import datetime
import io
import json
import multiprocessing
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from generate import (PageWriter, Scan, Style, bilevel, is_valid_nhs_number, long_date,
                      new_nhs_number, nhs_check_digit, nhs_dashed, nhs_spaced, pdf_from_images,
                      RESULT_COLUMNS_MM, RESULT_HEADER, results_table, scan_page)

SEED = 20240601
DOCUMENTS_PER_TYPE = 16
TYPES = ("clinic_letter", "discharge_summary", "lab_report", "referral")

# Special cases, each given to a few documents; the rest are plain documents that should be filed.
SCENARIOS = (
    ["not_in_pmi"] * 3 + ["pmi_dob_differs"] * 2 + ["conflicting_nhs"] * 2 +
    ["conflicting_dob"] * 2 + ["nhs_bad_checksum"] * 2 + ["nhs_unlabelled"] * 2 +
    ["nhs_in_later_header"] * 5 + ["ocr_confusable"] * 5 + ["unlabelled_decoy"] * 2 +
    ["chi_number"] * 2 + ["hc_number"] + ["no_nhs_number"]
)

TRUST = "Calderbridge Royal Infirmary NHS Trust"
TRUST_ADDRESS = "Infirmary Street, Calderbridge, HX1 2YR"
TRUST_PHONES = "Switchboard: 01632 960000   Fax: 01632 960001"

GIVEN_MALE = ["John", "David", "Peter", "Michael", "Robert", "James", "Thomas", "Mohammed", "Oluwaseun",
              "Kwame", "Ian", "Graham", "Stuart", "Arjun", "Wei", "Tomasz", "Declan", "Callum", "Harry",
              "Owen", "Jean-Luc", "Rhys"]
GIVEN_FEMALE = ["Mary", "Susan", "Margaret", "Aisha", "Priya", "Emma", "Sophie", "Joanne", "Chloe",
                "Fatima", "Siobhan", "Ewa", "Grace", "Ruth", "Helen", "Amara", "Zoe", "Niamh", "Lucy",
                "Olivia", "Mary-Jane", "Eleri"]
MIDDLE_MALE = ["Paul", "James", "Alexander", "Kumar", "Lee", "Owain"]
MIDDLE_FEMALE = ["Anne", "Louise", "Marie", "Rose", "Elizabeth", "Nkechi"]
FAMILY = ["SMITH", "JONES", "TAYLOR", "BROWN", "WILLIAMS", "WILSON", "JOHNSON", "DAVIES", "PATEL",
          "KHAN", "O'CONNOR", "HUGHES-DAVIES", "SHAW", "AHMED", "NGUYEN", "KOWALSKA", "OKONKWO",
          "D'SOUZA", "FITZGERALD", "ROBERTSON", "WALKER", "HALL", "GREEN", "ADEBAYO", "MURPHY",
          "EVANS", "THOMAS", "LEWIS", "BAXTER", "PRICE", "O'NEILL", "ABARA"]
STREETS = ["Larch Avenue", "Mill Lane", "Victoria Road", "Church Street", "Weaver Court", "Station Road",
           "Hollins Lane", "Moor View", "Park Terrace", "Cedar Close", "Queens Road", "Ash Grove",
           "Beech Walk", "King Street", "Orchard Way", "Brook Side"]
DISTRICTS = ["Headingley", "Bramley", "Sowerby", "Elland", "Hebden", "Todmorden", "Brighouse",
             "Shelf", "Luddenden", "Ripponden"]
TOWNS = ["Calderbridge", "Northgate", "Halford"]
OUTWARD = ["LS1", "LS6", "LS8", "LS11", "LS13", "LS17", "BD1", "BD7", "BD18", "BD22", "HX1", "HX3",
           "HX7", "WF1", "WF2", "WF10", "HD1", "HD8", "YO1", "YO31", "S10", "M14"]
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

GP_PRACTICES = [
    ("Dr A Hughes", "Riverside Medical Practice", "22 Mill Lane", "Northgate", "LS7 3PJ", "B82005"),
    ("Dr P Whitcombe", "Oakfield Surgery", "5 Church Street", "Calderbridge", "HX2 0BQ", "B87016"),
    ("Dr S Malik", "Chapeltown Health Centre", "9 Spencer Place", "Northgate", "LS7 4BB", "B86071"),
    ("Dr T Bellamy", "Moorside Surgery", "18 Station Road", "Halford", "HX6 4AH", "B84612"),
    ("Dr R Okoro", "Kingsway Group Practice", "140 Kingsway", "Calderbridge", "HX3 9LN", "B85023"),
]
CONSULTANTS = [
    ("Dr Katherine JARVIS", "Consultant Cardiologist", "Cardiology"),
    ("Dr Rebecca BOSE", "Consultant Dermatologist", "Dermatology"),
    ("Dr Martin OSEI", "Consultant Respiratory Physician", "Respiratory Medicine"),
    ("Mr Alan FORSYTH", "Consultant Orthopaedic Surgeon", "Orthopaedics"),
    ("Dr Helen ASHWORTH", "Consultant Rheumatologist", "Rheumatology"),
    ("Dr Samuel REID", "Consultant Gastroenterologist", "Gastroenterology"),
    ("Dr Nadia RAHMAN", "Consultant Endocrinologist", "Diabetes and Endocrinology"),
]
KIN = [("Mrs", "Brenda", "partner"), ("Mr", "Colin", "partner"), ("Ms", "Tanya", "daughter"),
       ("Mr", "Gary", "son"), ("Mrs", "Irene", "sister"), ("Mr", "Neil", "brother")]
LAB_DEPARTMENTS = [("Department of Clinical Biochemistry", "BIOCHEMISTRY REPORT"),
                   ("Department of Haematology", "LABORATORY REPORT"),
                   ("Pathology Services", "PATHOLOGY REPORT")]

# Letters a typist or an OCR engine puts in place of look-alike digits.
CONFUSABLE = {"0": "O", "1": "l", "5": "S", "8": "B", "2": "Z", "6": "G", "9": "g"}

MONTH_ABBREVIATIONS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


# --- Identifiers -------------------------------------------------------------------------------

def ten_digits_passing_mod11(rng, first_three):
    """Ten digits starting with `first_three` whose last is the modulus-11 check digit."""
    while True:
        first_nine = first_three + "".join(rng.choice("0123456789") for _ in range(6))
        check = nhs_check_digit(first_nine)
        if check is not None:
            return first_nine + str(check)


def ten_digits_failing_mod11(rng, first_three):
    """Ten digits starting with `first_three` that no checksum reading accepts."""
    while True:
        digits = first_three + "".join(rng.choice("0123456789") for _ in range(7))
        if not is_valid_nhs_number(digits):
            return digits


def chi_number(rng, dob, sex):
    """A Scottish CHI number: date of birth DDMMYY, two digits, a sex digit (odd for male), check digit."""
    while True:
        sex_digit = rng.choice("13579" if sex == "M" else "02468")
        first_nine = dob.strftime("%d%m%y") + "".join(rng.choice("0123456789") for _ in range(2)) + sex_digit
        check = nhs_check_digit(first_nine)
        if check is not None:
            return first_nine + str(check)


def with_confusions(digits, rng, count):
    """`digits` with `count` of them typed as look-alike letters."""
    chars = list(digits)
    positions = [i for i, c in enumerate(chars) if c in CONFUSABLE]
    for i in rng.sample(positions, min(count, len(positions))):
        chars[i] = CONFUSABLE[chars[i]]
    return "".join(chars)


# --- People ------------------------------------------------------------------------------------

@dataclass
class Patient:
    title: str
    given_names: str
    family_name: str
    sex: str
    date_of_birth: datetime.date
    address_lines: list
    postcode: str
    nhs_number: str
    hospital_number: str

    @property
    def filing_name(self):
        return f"{self.family_name}, {self.given_names}"

    @property
    def first_given(self):
        return self.given_names.split()[0]

    def mixed_case_family(self):
        """ "O'CONNOR" as "O'Connor", "HUGHES-DAVIES" as "Hughes-Davies"."""
        return re.sub(r"[A-Z]+", lambda m: m.group(0).capitalize(), self.family_name)


def new_postcode(rng):
    return f"{rng.choice(OUTWARD)} {rng.randint(1, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"


def new_patient(rng, nhs_taken, hosp_taken):
    sex = rng.choice("MF")
    given = rng.choice(GIVEN_MALE if sex == "M" else GIVEN_FEMALE)
    if rng.random() < 0.5:
        given += " " + rng.choice(MIDDLE_MALE if sex == "M" else MIDDLE_FEMALE)
    title = "Mr" if sex == "M" else rng.choice(["Mrs", "Ms", "Miss"])
    dob = datetime.date(1925, 1, 1) + datetime.timedelta(days=rng.randint(0, 33000))
    address = [f"{rng.randint(1, 240)} {rng.choice(STREETS)}", rng.choice(DISTRICTS), rng.choice(TOWNS)]
    while True:
        hospital_number = "K" + "".join(rng.choice("0123456789") for _ in range(7))
        if hospital_number not in hosp_taken:
            hosp_taken.add(hospital_number)
            break
    return Patient(title, given, rng.choice(FAMILY), sex, dob, address, new_postcode(rng),
                   new_nhs_number(rng, nhs_taken), hospital_number)


# --- Written forms -----------------------------------------------------------------------------

def dob_text(d, style):
    """A date of birth in one of the forms letters use; two-digit years only where they resolve
    unambiguously on a document dated 2019-2024."""
    forms = {
        "slash": d.strftime("%d/%m/%Y"),
        "dots": f"{d.day}.{d.month}.{d.strftime('%y')}",
        "long": f"{d.day}{ordinal(d.day)} {d.strftime('%B %Y')}",
        "abbrev": f"{d.day:02d}-{MONTH_ABBREVIATIONS[d.month - 1]}-{d.year}",
        "short": f"{d.day} {MONTH_ABBREVIATIONS[d.month - 1]} {d.strftime('%y')}",
        "plain": long_date(d),
    }
    text = forms[style]
    if style in ("dots", "short"):
        assert d.year < 2000 and d.year % 100 > 24, "a two-digit year must not be read as this century"
    return text


def ordinal(day):
    return "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def slash(d):
    return d.strftime("%d/%m/%Y")


def nhs_written(n, rng):
    return rng.choice([nhs_spaced, nhs_dashed, lambda x: x])(n)


def name_written(p, form):
    if form == "titled":
        return f"{p.title} {p.given_names} {p.family_name}"
    if form == "comma":
        return p.filing_name
    if form == "title_after":
        return f"{p.given_names} {p.mixed_case_family()} ({p.title})"
    if form == "titled_mixed":
        return f"{p.title} {p.given_names} {p.mixed_case_family()}"
    raise ValueError(form)


def random_date(rng, start, end):
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


# --- Documents ---------------------------------------------------------------------------------

@dataclass
class Document:
    file: str
    document_type: str
    patient: Patient
    scenario: str
    pages: list = field(default_factory=list)
    scans: list = field(default_factory=list)
    fields: dict = field(default_factory=dict)
    traps: list = field(default_factory=list)
    encoding: str = "pdf-g4"
    # Numbers printed that pass the NHS checksum but are not the patient's NHS number.
    allowed_decoys: set = field(default_factory=set)

    def trap(self, name):
        if name not in self.traps:
            self.traps.append(name)


class Context:
    """What one document's builder draws from: its patient, scenario and random choices."""

    def __init__(self, doc, rng):
        self.doc = doc
        self.rng = rng
        self.p = doc.patient

    @property
    def scenario(self):
        return self.doc.scenario

    def new_page(self, style, dpi):
        page = PageWriter(style, dpi=dpi, margins_mm=(22.0, 24.0))
        self.doc.pages.append(page)
        return page

    def dob_form(self):
        d = self.p.date_of_birth
        forms = ["slash", "long", "abbrev", "plain"]
        if d.year < 2000 and d.year % 100 > 24:
            forms += ["dots", "short"]
        return dob_text(d, self.rng.choice(forms))

    def nhs_label(self):
        return self.rng.choice(["NHS No:", "NHS Number:", "NHS no.", "N.H.S. No:"])

    def dob_label(self):
        return self.rng.choice(["Date of Birth:", "DOB:", "D.O.B.", "Born:", "Date of birth:"])

    def hospital_label(self):
        return self.rng.choice(["Hospital No:", "Hosp No:", "MRN:", "Unit No:", "K Number:", "Hospital Number:"])

    def identifier_line(self):
        """The patient's national identifier as the scenario prints it on the first page; None
        when the first page carries none."""
        p, s, rng = self.p, self.scenario, self.rng
        if s in ("nhs_in_later_header", "no_nhs_number"):
            return None
        if s == "chi_number":
            chi = chi_number(rng, p.date_of_birth, p.sex)
            self.doc.fields["chi_number"] = chi
            self.doc.allowed_decoys.add(chi)
            return ("CHI No:", chi[:6] + " " + chi[6:] if rng.random() < 0.5 else chi)
        if s == "hc_number":
            hc = ten_digits_passing_mod11(rng, str(rng.randint(320, 399)))
            self.doc.fields["hc_number"] = hc
            self.doc.allowed_decoys.add(hc)
            return ("H&C No:", nhs_spaced(hc))
        if s == "nhs_bad_checksum":
            bad = p.nhs_number[:9] + str((int(p.nhs_number[9]) + rng.randint(1, 9)) % 10)
            assert not is_valid_nhs_number(bad)
            self.doc.trap("labelled NHS number with a bad check digit")
            return (self.nhs_label(), nhs_spaced(bad))
        if s == "ocr_confusable":
            self.doc.trap("letters printed in place of look-alike digits")
            self.doc.fields["nhs_number"] = p.nhs_number
            return (self.nhs_label(), nhs_spaced(with_confusions(p.nhs_number, rng, rng.randint(1, 2))))
        self.doc.fields["nhs_number"] = p.nhs_number
        if s == "nhs_unlabelled":
            return ("", nhs_spaced(p.nhs_number))
        return (self.nhs_label(), nhs_written(p.nhs_number, rng))

    def later_header(self, page, number, total):
        """The running header of a later page: name, identifiers, page number."""
        p, rng = self.p, self.rng
        name = rng.choice([p.filing_name, f"{p.title} {p.first_given} {p.family_name}"])
        no_labelled_nhs = ("chi_number", "hc_number", "no_nhs_number", "nhs_bad_checksum", "nhs_unlabelled")
        if self.scenario in ("nhs_in_later_header", "conflicting_nhs") or (
                self.scenario not in no_labelled_nhs and rng.random() < 0.6):
            nhs = p.nhs_number
            if self.scenario == "conflicting_nhs":
                nhs = new_nhs_number(rng, set([p.nhs_number]))
                self.doc.allowed_decoys.add(nhs)
                self.doc.trap("a different NHS number on a later page")
            elif self.scenario == "nhs_in_later_header":
                self.doc.trap("NHS number only in the header of a later page")
                self.doc.fields["nhs_number"] = p.nhs_number
            ident = f"NHS No: {nhs_spaced(nhs)}"
        else:
            ident = f"Hosp No: {p.hospital_number}"
        if self.scenario == "conflicting_dob":
            other = self.p.date_of_birth + datetime.timedelta(days=rng.choice([-1, 1, 31, 365]))
            ident += f"   DOB: {slash(other)}"
            self.doc.trap("a different date of birth on a later page")
        page.text(f"{name}   {ident}   Page {number} of {total}", pt=8.5)
        page.gap(0.5)

    def patient_block(self, page, style=None):
        """The patient's details on the first page, in one of the layouts letters and forms use."""
        p, rng, doc = self.p, self.rng, self.doc
        with_address = rng.random() < 0.85
        style = style or rng.choice(["labelled", "re_line", "surname_forename", "two_column"])
        name_form = rng.choice(["titled", "comma", "title_after", "titled_mixed"])
        dob = self.dob_form()
        ident = self.identifier_line()
        doc.fields["patient_name"] = p.filing_name
        doc.fields["date_of_birth"] = p.date_of_birth.isoformat()
        doc.fields["hospital_number"] = p.hospital_number
        if style == "labelled":
            page.labelled(rng.choice(["Patient:", "Patient Name:", "Name:"]), name_written(p, name_form))
            page.labelled(self.dob_label(), dob)
            if ident and ident[0]:
                page.labelled(ident[0], ident[1])
            elif ident:
                page.text(ident[1])
            page.labelled(self.hospital_label(), p.hospital_number)
            if with_address:
                page.labelled("Address:", p.address_lines[0], p.address_lines[1:] + [p.postcode])
        elif style == "re_line":
            page.labelled("Re:", f"{name_written(p, rng.choice(['titled', 'comma', 'title_after']))}, DOB {dob}")
            parts = []
            if ident:
                parts.append(f"{ident[0]} {ident[1]}".strip())
            parts.append(f"{self.hospital_label()} {p.hospital_number}")
            page.text("   ".join(parts))
            if with_address:
                page.text(f"{', '.join(p.address_lines)} {p.postcode}")
        elif style == "surname_forename":
            form_row(page, [f"Surname: {p.family_name}", f"Forename(s): {p.given_names}"], (0, 70))
            form_row(page, [f"{self.dob_label()} {dob}", f"Title: {p.title}"], (0, 70))
            if ident:
                page.text(f"{ident[0]} {ident[1]}".strip())
            page.text(f"{self.hospital_label()} {p.hospital_number}")
            if with_address:
                page.labelled("Address:", ", ".join(p.address_lines[:2]), [p.address_lines[2], p.postcode])
        else:
            form_row(page, [f"Name: {name_written(p, rng.choice(['titled', 'comma']))}", f"DOB: {dob}"], (0, 92))
            right = f"{self.hospital_label()} {p.hospital_number}"
            left = f"{ident[0]} {ident[1]}".strip() if ident else "Sex: " + p.sex
            form_row(page, [left, right], (0, 92))
            if with_address:
                page.labelled("Address:", p.address_lines[0], p.address_lines[1:] + [p.postcode])
        if with_address:
            doc.fields["postcode"] = p.postcode
        else:
            doc.trap("no patient address, only other parties' postcodes")
        if self.scenario == "unlabelled_decoy":
            decoy = new_nhs_number(rng, set([p.nhs_number]))
            doc.allowed_decoys.add(decoy)
            page.text(f"Bed 14, locker {nhs_spaced(decoy)}")
            doc.trap("another valid 999-range number printed without a label")

    def gp_block(self, page, gp):
        name, practice, street, town, postcode, code = gp
        for line in (name, practice, street, town, postcode):
            page.text(line)
        self.doc.trap("GP practice postcode")
        if self.rng.random() < 0.6:
            page.text(f"Practice code: {code}")
            self.doc.trap("GP practice code")

    def next_of_kin(self, page):
        title, given, relationship = self.rng.choice(KIN)
        family = self.p.family_name if self.rng.random() < 0.6 else self.rng.choice(FAMILY)
        phone = f"07700 900{self.rng.randint(100, 999)}"
        if self.rng.random() < 0.5:
            page.labelled("Next of kin:", f"{title} {given} {family} ({relationship}), tel {phone}")
        else:
            page.text("Next of kin", bold=True)
            page.labelled("Name:", f"{title} {given} {family}")
            page.labelled("Relationship:", relationship.capitalize())
            page.labelled("Telephone:", phone)
            page.labelled("Address:", f"{self.rng.randint(1, 99)} {self.rng.choice(STREETS)}, {new_postcode(self.rng)}")
        self.doc.trap("next of kin's name")
        self.doc.trap("phone number")


def form_row(page, cells, column_mm):
    """Cells of a form set in columns, each ending well before the next begins."""
    f = page.font()
    for text, start, next_start in zip(cells, column_mm, column_mm[1:]):
        assert page.mm(start) + f.getlength(text) + page.mm(8) <= page.mm(next_start), f"cells overlap: {cells}"
    page.table_row(cells, column_mm)


def letterhead(page, department):
    page.text(TRUST, bold=True, pt=14)
    page.text(department, bold=True, pt=11)
    page.text(TRUST_ADDRESS)
    page.text(TRUST_PHONES)


def body(page, rng, sentences):
    page.paragraph(" ".join(sentences))


def signature(page, consultant):
    """The consultant signs in mixed case: "Dr Katherine Jarvis"."""
    page.text("Yours sincerely,")
    page.gap()
    title_and_given, family = consultant[0].rsplit(" ", 1)
    page.text(f"{title_and_given} {family.capitalize()}")
    page.text(consultant[1])


def choose_dates(rng):
    """A document date in 2019-2024 and the days around it that documents mention."""
    letter = random_date(rng, datetime.date(2019, 1, 10), datetime.date(2024, 5, 20))
    return letter


def clinic_letter(ctx):
    rng, p, doc = ctx.rng, ctx.p, ctx.doc
    style = Style(*rng.choice([("serif", "serif-bold", 11), ("lsans", "lsans-bold", 10.5), ("sans", "sans-bold", 10)]))
    dpi = rng.choice([300, 200])
    consultant = rng.choice(CONSULTANTS)
    gp = rng.choice(GP_PRACTICES)
    letter_date = choose_dates(rng)
    clinic_date = letter_date - datetime.timedelta(days=rng.randint(2, 20))
    follow_up = letter_date + datetime.timedelta(days=rng.randint(40, 200))
    typed = letter_date + datetime.timedelta(days=rng.randint(0, 3))
    two_pages = doc.scenario in ("nhs_in_later_header", "conflicting_nhs", "conflicting_dob") or rng.random() < 0.4

    page = ctx.new_page(style, dpi)
    letterhead(page, f"Department of {consultant[2]}")
    page.gap(0.5)
    date_form = rng.choice(["standalone", "labelled", "letter_date"])
    if date_form == "standalone":
        page.text(long_date(letter_date), align="right")
    elif date_form == "labelled":
        page.text(f"Date: {slash(letter_date)}", align="right")
    else:
        page.text(f"Letter date: {long_date(letter_date)}", align="right")
    doc.fields["document_date"] = letter_date.isoformat()
    page.text(f"Our ref: {consultant[2][:4].upper()}/{rng.randint(10, 99)}/{letter_date.strftime('%Y%m%d')}{rng.randint(1000, 9999)}")
    clinic_form = rng.choice(["Clinic date:", "Date seen:", "Date of clinic:", None])
    if clinic_form:
        page.labelled(clinic_form, slash(clinic_date))
        doc.fields["clinic_date"] = clinic_date.isoformat()
    page.labelled("Date typed:", slash(typed))
    doc.trap("dates that are not the date of birth")
    page.gap(0.5)
    ctx.gp_block(page, gp)
    page.gap(0.5)
    page.text(f"Dear {gp[0]},")
    page.gap(0.3)
    ctx.patient_block(page)
    page.gap(0.5)
    page.text("Diagnosis:", bold=True)
    page.text(rng.choice(["1. Paroxysmal atrial fibrillation", "1. Chronic plaque psoriasis",
                          "1. Osteoarthritis of the right knee", "1. Type 2 diabetes mellitus"]))
    page.gap(0.5)
    body(page, rng, [
        f"I saw {p.title} {p.mixed_case_family()} in the {consultant[2].lower()} outpatient clinic on "
        f"{long_date(clinic_date)}.",
        "Symptoms have improved since the last review and there were no new concerns today.",
        f"Blood tests on {slash(clinic_date - datetime.timedelta(days=30))} were unremarkable.",
        f"The clinic nurses can be reached on 01632 960{rng.randint(100, 999)}.",
    ])
    doc.trap("phone number")
    lab_ref = ten_digits_failing_mod11(rng, "999")
    page.text(f"Lab request {lab_ref[:3]} {lab_ref[3:6]} {lab_ref[6:]} has been sent.")
    doc.trap("10-digit number failing the checksum")
    page.gap(0.5)
    if not two_pages:
        page.text(f"We will review in the clinic on {slash(follow_up)}.")
        if rng.random() < 0.4:
            ctx.next_of_kin(page)
        page.gap(0.5)
        signature(page, consultant)
        page.text(f"cc: {gp[0]}, {gp[1]}")
        doc.trap("consultant's name")
        return
    page.text("Continued overleaf.")
    second = ctx.new_page(style, dpi)
    ctx.later_header(second, 2, 2)
    body(second, rng, [
        f"We will review in the clinic on {slash(follow_up)}, with a repeat echocardiogram before then.",
        "I have explained the plan and the patient is in agreement.",
    ])
    second.gap(0.5)
    if rng.random() < 0.5:
        ctx.next_of_kin(second)
        second.gap(0.5)
    signature(second, consultant)
    second.text(f"cc: {gp[0]}, {gp[1]}")
    doc.trap("consultant's name")


def discharge_summary(ctx):
    rng, p, doc = ctx.rng, ctx.p, ctx.doc
    style = Style(*rng.choice([("sans", "sans-bold", 9.5), ("lsans", "lsans-bold", 10)]))
    dpi = rng.choice([300, 200])
    consultant = rng.choice(CONSULTANTS)
    gp = rng.choice(GP_PRACTICES)
    discharged = choose_dates(rng)
    admitted = discharged - datetime.timedelta(days=rng.randint(1, 20))
    died = doc.scenario == "" and rng.random() < 0.15

    page = ctx.new_page(style, dpi)
    letterhead(page, rng.choice(["Ward 12, Acute Medical Unit", "Ward 7, Elderly Care", "Surgical Assessment Unit"]))
    page.gap(0.5)
    page.text("DISCHARGE SUMMARY", bold=True, pt=13)
    page.gap(0.3)
    ctx.patient_block(page, style=rng.choice(["labelled", "two_column", "surname_forename"]))
    page.gap(0.3)
    page.labelled(rng.choice(["Date of admission:", "Admission date:", "Admitted:"]), slash(admitted))
    page.labelled(rng.choice(["Date of discharge:", "Discharge date:"]), slash(discharged))
    doc.fields["admission_date"] = admitted.isoformat()
    doc.fields["discharge_date"] = discharged.isoformat()
    doc.fields["document_date"] = discharged.isoformat()
    doc.trap("dates that are not the date of birth")
    if died:
        page.labelled("Date of death:", slash(discharged))
        doc.fields["death_date"] = discharged.isoformat()
    page.labelled("Consultant:", f"{consultant[0]}, {consultant[2]}")
    doc.trap("consultant's name")
    page.labelled("GP:", gp[0], [gp[1], f"{gp[2]}, {gp[3]}", gp[4]])
    doc.trap("GP practice postcode")
    page.gap(0.3)
    ctx.next_of_kin(page)
    page.gap(0.3)
    page.text("Presenting complaint", bold=True)
    body(page, rng, [
        f"Admitted on {slash(admitted)} with a three-day history of breathlessness and productive cough.",
        "Observations on arrival showed a temperature of 38.2 C and oxygen saturations of 92% on air.",
    ])
    page.text("Clinical course", bold=True)
    body(page, rng, [
        "Treated with intravenous antibiotics and supplemental oxygen, with steady improvement.",
        f"Switched to oral antibiotics on {slash(admitted + datetime.timedelta(days=1))}.",
    ])

    pages = 2 + (rng.random() < 0.35)
    for number in range(2, pages + 1):
        more = ctx.new_page(style, dpi)
        ctx.later_header(more, number, pages)
        if number == 2:
            more.text("Medication on discharge", bold=True)
            for medicine in rng.sample(["Amoxicillin 500 mg three times daily for 5 days",
                                        "Ramipril 2.5 mg once daily", "Atorvastatin 20 mg at night",
                                        "Paracetamol 1 g four times daily when required",
                                        "Salbutamol 100 micrograms inhaler, 2 puffs when required",
                                        "Levothyroxine 75 micrograms once daily"], 4):
                more.text(medicine, indent_mm=5)
            more.gap(0.5)
        more.text("Follow-up", bold=True)
        body(more, rng, [
            f"Seen again in the respiratory clinic on {slash(discharged + datetime.timedelta(days=rng.randint(20, 60)))}.",
            f"The ward can be reached on 01632 960{rng.randint(100, 999)}.",
        ])
        doc.trap("phone number")
        if number == pages:
            more.gap(0.5)
            more.labelled("Completed by:", "Dr Laura Fenwick, Specialty Registrar")
            more.labelled("Summary completed:", slash(discharged))


def lab_report(ctx):
    rng, p, doc = ctx.rng, ctx.p, ctx.doc
    style = Style(*rng.choice([("sans", "sans-bold", 9.5), ("lsans", "lsans-bold", 10)]))
    dpi = rng.choice([300, 200])
    department, title = rng.choice(LAB_DEPARTMENTS)
    gp = rng.choice(GP_PRACTICES)
    reported = choose_dates(rng)
    collected = reported - datetime.timedelta(days=rng.randint(0, 2))

    page = ctx.new_page(style, dpi)
    letterhead(page, department)
    page.gap(0.5)
    page.text(title, bold=True, pt=13)
    page.gap(0.3)
    ctx.patient_block(page, style=rng.choice(["labelled", "two_column", "surname_forename"]))
    page.gap(0.3)
    page.labelled("Requested by:", gp[0], [gp[1], f"{gp[2]}, {gp[3]}", gp[4]])
    doc.trap("GP practice postcode")
    lab_no = ten_digits_failing_mod11(rng, str(rng.randint(100, 899)))
    page.labelled("Lab No:", lab_no)
    doc.trap("10-digit number failing the checksum")
    page.labelled("Specimen:", rng.choice(["Serum", "Whole blood (EDTA)", "Urine"]))
    page.labelled("Collected:", f"{slash(collected)} 08:{rng.randint(10, 59)}")
    page.labelled("Received:", f"{slash(collected)} 11:{rng.randint(10, 59)}")
    page.labelled(rng.choice(["Reported:", "Date reported:", "Report date:"]), slash(reported))
    doc.fields["report_date"] = reported.isoformat()
    doc.fields["document_date"] = reported.isoformat()
    doc.trap("dates that are not the date of birth")
    page.gap(0.5)
    page.table_row(RESULT_HEADER, RESULT_COLUMNS_MM, bold=True)
    results_table(page, "Full blood count", [
        ("Haemoglobin", str(rng.randint(95, 160)), "g/L", "115 - 165", ""),
        ("White cell count", f"{rng.uniform(3, 12):.1f}", "10^9/L", "4.0 - 11.0", ""),
        ("Platelets", str(rng.randint(140, 420)), "10^9/L", "150 - 400", ""),
    ])
    page.gap(0.3)
    results_table(page, "Urea and electrolytes", [
        ("Sodium", str(rng.randint(130, 146)), "mmol/L", "133 - 146", ""),
        ("Potassium", f"{rng.uniform(3.2, 5.8):.1f}", "mmol/L", "3.5 - 5.3", ""),
        ("Creatinine", str(rng.randint(55, 160)), "umol/L", "59 - 104", ""),
    ])
    two_pages = doc.scenario in ("nhs_in_later_header", "conflicting_nhs", "conflicting_dob") or rng.random() < 0.3
    last = page
    if two_pages:
        page.text("Continued on page 2")
        last = ctx.new_page(style, dpi)
        ctx.later_header(last, 2, 2)
        last.table_row(RESULT_HEADER, RESULT_COLUMNS_MM, bold=True)
        results_table(last, "Lipids", [
            ("Cholesterol", f"{rng.uniform(3.5, 7):.1f}", "mmol/L", "< 5.0", ""),
            ("Triglycerides", f"{rng.uniform(0.8, 3):.1f}", "mmol/L", "< 1.7", ""),
        ])
    last.gap(0.5)
    last.text("Comment", bold=True)
    body(last, rng, [
        f"Compared with the result of {slash(reported - datetime.timedelta(days=rng.randint(60, 400)))}.",
        f"Results telephoned to the surgery on 01632 960{rng.randint(100, 999)}.",
    ])
    doc.trap("phone number")
    last.labelled("Authorised by:", "Dr J Chen, Consultant Clinical Scientist")
    doc.trap("consultant's name")


def referral(ctx):
    rng, p, doc = ctx.rng, ctx.p, ctx.doc
    style = Style(*rng.choice([("serif", "serif-bold", 11), ("lsans", "lsans-bold", 10.5)]))
    dpi = rng.choice([300, 200])
    gp = rng.choice(GP_PRACTICES)
    consultant = rng.choice(CONSULTANTS)
    letter_date = choose_dates(rng)
    referred = letter_date - datetime.timedelta(days=rng.randint(0, 3))

    page = ctx.new_page(style, dpi)
    page.text(gp[1], bold=True, pt=14)
    page.text(f"{gp[2]}, {gp[3]}, {gp[4]}")
    page.text(f"Tel: 01632 960{rng.randint(100, 999)}   Practice code: {gp[5]}")
    doc.trap("GP practice code")
    doc.trap("GP practice postcode")
    doc.trap("phone number")
    page.gap(0.5)
    page.text(f"Date: {slash(letter_date)}", align="right")
    doc.fields["document_date"] = letter_date.isoformat()
    page.text(f"The Consultant, {consultant[2]}")
    page.text(TRUST)
    page.text(TRUST_ADDRESS)
    page.gap(0.5)
    urgent = rng.random() < 0.5
    page.text("TWO WEEK WAIT REFERRAL" if urgent else f"REFERRAL LETTER: {consultant[2].upper()}", bold=True)
    page.labelled(rng.choice(["Date referred:", "Referral date:", "Date of referral:"]), slash(referred))
    doc.fields["referral_date"] = referred.isoformat()
    doc.trap("dates that are not the date of birth")
    ubrn = "".join(rng.choice("0123456789") for _ in range(12))
    page.labelled("e-Referral UBRN:", f"{ubrn[:4]} {ubrn[4:8]} {ubrn[8:]}")
    page.gap(0.3)
    ctx.patient_block(page, style=rng.choice(["labelled", "re_line", "surname_forename", "two_column"]))
    page.gap(0.3)
    page.text("Dear Colleague,")
    body(page, rng, [
        "Thank you for seeing this patient with a two-month history of progressive symptoms.",
        f"Blood tests on {slash(referred - datetime.timedelta(days=rng.randint(5, 30)))} showed a raised CRP.",
        f"The patient's mobile number is 07700 900{rng.randint(100, 999)}.",
    ])
    two_pages = doc.scenario in ("nhs_in_later_header", "conflicting_nhs", "conflicting_dob") or rng.random() < 0.35
    last = page
    if two_pages:
        page.text("Continued overleaf.")
        last = ctx.new_page(style, dpi)
        ctx.later_header(last, 2, 2)
        last.text("Past medical history", bold=True)
        for item in rng.sample(["Hypertension", "Asthma", "Hypothyroidism", "Appendicectomy 1998", "Gout"], 3):
            last.text(item, indent_mm=5)
        last.gap(0.3)
        if rng.random() < 0.5:
            ctx.next_of_kin(last)
    last.gap(0.5)
    last.text("Yours sincerely,")
    last.gap()
    last.text(gp[0])
    last.text("General Practitioner")


BUILDERS = {"clinic_letter": clinic_letter, "discharge_summary": discharge_summary,
            "lab_report": lab_report, "referral": referral}


# --- Scenarios and expectations ----------------------------------------------------------------

def expectations(doc, pmi_dob):
    """Drops the fields the document contradicts itself on and says whether it should be filed;
    `pmi_dob` is the patient's date of birth in the PMI, None when the PMI does not hold them."""
    s = doc.scenario
    if s == "conflicting_nhs":
        doc.fields.pop("nhs_number", None)
        return "needs_review", "two different NHS numbers"
    if s == "conflicting_dob":
        doc.fields.pop("date_of_birth", None)
        return "needs_review", "two different dates of birth"
    if s == "nhs_bad_checksum":
        return "needs_review", "the labelled NHS number fails its check digit"
    if s == "nhs_unlabelled":
        return "needs_review", "the NHS number is printed without a label"
    if s == "unlabelled_decoy":
        return "needs_review", "another valid 999-range number is printed without a label"
    if pmi_dob is None:
        return "needs_review", "the patient is not in the PMI"
    if pmi_dob != doc.patient.date_of_birth:
        return "needs_review", "the PMI holds a different date of birth"
    return "filed", ""


def assert_no_stray_nhs_number(doc):
    """Fails when a number on the pages passes the NHS checksum without being meant to: every
    such number is the patient's or a decoy the scenario placed on purpose."""
    pattern = re.compile(r"(?<![\d-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d-])")
    for page in doc.pages:
        for line in page.lines:
            for match in pattern.finditer(line):
                digits = "".join(match.groups())
                if is_valid_nhs_number(digits):
                    assert digits == doc.patient.nhs_number or digits in doc.allowed_decoys, \
                        f"{doc.file}: stray valid number in: {line}"


ENCODINGS_ONE_PAGE = ["png", "jpg", "tif-lzw", "tif-g4", "pdf-jpeg", "pdf-g4"]
ENCODINGS_MANY_PAGES = ["tif-lzw", "tif-g4", "pdf-jpeg", "pdf-g4"]
EXTENSIONS = {"png": "png", "jpg": "jpg", "tif-lzw": "tif", "tif-g4": "tif", "pdf-jpeg": "pdf", "pdf-g4": "pdf"}


def scans_for(doc, rng):
    scans = []
    for i, _ in enumerate(doc.pages):
        skew = round(rng.uniform(-4.0, 4.0), 1)
        rotation = rng.choice([0] * 8 + [90, 180, 270]) if i > 0 or rng.random() < 0.15 else 0
        scans.append(Scan(skew, rotation_degrees=rotation, blur_radius=rng.choice([0.5, 0.6, 0.8]),
                          noise_sigma=rng.choice([0.0, 0.0, 2.0]), speckles=rng.randint(40, 200),
                          uneven_background=rng.random() < 0.2,
                          border=rng.choice(["", "", "", "left", "right"])))
    return scans


def write_document(doc, out_dir, pixel_seed):
    pixel_rng = np.random.RandomState(pixel_seed)
    images = [scan_page(page, scan, pixel_rng) for page, scan in zip(doc.pages, doc.scans)]
    dpi = (doc.pages[0].dpi, doc.pages[0].dpi)
    path = out_dir / doc.file
    if doc.encoding == "png":
        images[0].save(path, dpi=dpi)
    elif doc.encoding == "jpg":
        images[0].save(path, "JPEG", quality=80, dpi=dpi)
    elif doc.encoding == "tif-lzw":
        images[0].save(path, compression="tiff_lzw", dpi=dpi, save_all=True, append_images=images[1:])
    elif doc.encoding == "tif-g4":
        pages = [bilevel(im) for im in images]
        pages[0].save(path, compression="group4", dpi=dpi, save_all=True, append_images=pages[1:])
    elif doc.encoding == "pdf-jpeg":
        jpegs = []
        for im in images:
            buffer = io.BytesIO()
            im.save(buffer, "JPEG", quality=80, dpi=dpi)
            jpegs.append(buffer.getvalue())
        pdf_from_images(jpegs, path)
    elif doc.encoding == "pdf-g4":
        strips = []
        for im in images:
            page = bilevel(im)
            buffer = io.BytesIO()
            # PDF holds a CCITT image as one strip; img2pdf copies such a strip through untouched.
            page.save(buffer, "TIFF", compression="group4", dpi=dpi,
                      strip_size=(page.width + 7) // 8 * page.height)
            strips.append(buffer.getvalue())
        pdf_from_images(strips, path)
    else:
        raise ValueError(f"no writer for {doc.encoding}")


_SCAN_JOBS = []


def write_scan_job(index):
    write_document(*_SCAN_JOBS[index])


def truth_entry(doc, status, reason):
    entry = {
        "file": doc.file,
        "document_type": doc.document_type,
        "expected_status": status,
        "scenario": doc.scenario or "plain",
        "patient": {"nhs_number": doc.patient.nhs_number, "hospital_number": doc.patient.hospital_number},
        "fields": dict(sorted(doc.fields.items())),
        "traps": doc.traps,
        "pages": [
            {"number": i + 1, "rotation_degrees": scan.rotation_degrees, "skew_degrees": scan.skew_degrees,
             "dpi": page.dpi, "text": "\n".join(page.lines)}
            for i, (page, scan) in enumerate(zip(doc.pages, doc.scans))
        ],
    }
    if reason:
        entry["review_reason"] = reason
    return entry


def write_pmi(path, patients, pmi_dob, rng, nhs_taken):
    """Writes the PMI: each patient in `pmi_dob` with that date of birth, and other people."""
    rows = []
    for p in patients:
        if p.nhs_number in pmi_dob:
            rows.append([p.nhs_number, p.hospital_number, p.family_name, p.given_names,
                         pmi_dob[p.nhs_number].isoformat(), p.sex, p.postcode])
    # People with no document: the same family names recur, so a family name alone files nothing.
    for family in ("SMITH", "JONES", "PATEL", "O'CONNOR"):
        rows.append([new_nhs_number(rng, nhs_taken), "", family, rng.choice(GIVEN_FEMALE),
                     random_date(rng, datetime.date(1930, 1, 1), datetime.date(2010, 1, 1)).isoformat(), "F",
                     new_postcode(rng)])
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["nhs_number", "hospital_number", "family_name", "given_names", "date_of_birth", "sex",
                         "postcode"])
        writer.writerows(rows)


def main(argv):
    seed = SEED
    if len(argv) == 4 and argv[1] == "--seed" and argv[2].isdigit():
        seed = int(argv[2])
        argv = [argv[0], argv[3]]
    if len(argv) != 2:
        sys.exit("usage: generate_eval.py [--seed N] OUTPUT_DIR")
    out_dir = Path(argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)

    rng = random.Random(seed)
    nhs_taken, hosp_taken = set(), set()
    total = DOCUMENTS_PER_TYPE * len(TYPES)
    scenarios = SCENARIOS + [""] * (total - len(SCENARIOS))
    rng.shuffle(scenarios)
    # Most patients have one document, some two: a PMI row is found by its NHS number, not by chance.
    patients = [new_patient(rng, nhs_taken, hosp_taken) for _ in range(total * 3 // 4)]
    documents = []
    for index in range(total):
        doc_type = TYPES[index % len(TYPES)]
        scenario = scenarios[index]
        patient = patients[index % len(patients)]
        doc = Document(f"e{index + 1:03d}_{doc_type}", doc_type, patient, scenario)
        BUILDERS[doc_type](Context(doc, rng))
        doc.scans = scans_for(doc, rng)
        choices = ENCODINGS_ONE_PAGE if len(doc.pages) == 1 else ENCODINGS_MANY_PAGES
        doc.encoding = rng.choice(choices)
        doc.file += "." + EXTENSIONS[doc.encoding]
        assert_no_stray_nhs_number(doc)
        documents.append(doc)

    # A patient left out of the PMI, or held there with another date of birth, is so for all
    # of their documents.
    omitted = {d.patient.nhs_number for d in documents if d.scenario == "not_in_pmi"}
    pmi_dob = {p.nhs_number: p.date_of_birth for p in patients if p.nhs_number not in omitted}
    for d in documents:
        if d.scenario == "pmi_dob_differs":
            pmi_dob[d.patient.nhs_number] = d.patient.date_of_birth + datetime.timedelta(days=rng.choice([1, 30, 365]))
    entries = []
    for doc in documents:
        status, reason = expectations(doc, pmi_dob.get(doc.patient.nhs_number))
        entries.append(truth_entry(doc, status, reason))

    # Each document has its own pixel seed, so scanning them in parallel gives the same bytes.
    # Pages hold fonts and drawing state that cannot be pickled: forked workers inherit them.
    pixel_seed = np.random.RandomState(seed)
    jobs = [(doc, out_dir, pixel_seed.randint(0, 2**31 - 1)) for doc in documents]
    global _SCAN_JOBS
    _SCAN_JOBS = jobs
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(write_scan_job, range(len(jobs)))
    with open(out_dir / "ground_truth.json", "w") as f:
        json.dump(entries, f, indent=2)
        f.write("\n")
    write_pmi(out_dir / "patients.csv", patients, pmi_dob, rng, nhs_taken)
    pages = sum(len(d.pages) for d in documents)
    print(f"{len(documents)} documents, {pages} pages in {out_dir}")


if __name__ == "__main__":
    main(sys.argv)
