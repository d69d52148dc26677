#!/usr/bin/python3
"""Writes the events evaluation set: synthetic scanned discharge summaries, referrals and clinic
letters that record admissions, transfers, discharges, deaths, referrals, waiting-list additions
and clinic attendances, and carry ICD-10, OPCS-4 and SNOMED CT codes, with their ground truth.

Usage: /usr/bin/python3 samples/generate_events_eval.py [--seed N] OUTPUT_DIR

Writes into OUTPUT_DIR: the documents (one page each, PNG, JPEG, TIFF and PDF), events_truth.json
and patients.csv (every patient, so documents file and their events count). The pages are drawn
and scanned with the extraction evaluation set's helpers (generate_eval.py); the set is generated
on demand by bench_events, not kept in the repository; the output is the same on every run.

Ground truth (events_truth.json, one entry per document):
- `events`: every event the document states, as {kind, date, and the details it states}; kinds
  and detail names as the store keeps them. A discharge summary in the `discharge_before_admission`
  scenario states impossible dates: its admission and discharge are left out (they must go to
  review, not be counted) and `expected_review_reason` says why.
- `codes`: every clinical code printed, as {system, code, phrase}.
- `traps`: what is printed to be mistaken for an event or a code.

Every person, number and place is invented; NHS numbers are in the 999 test range.
"""

import datetime
import json
import multiprocessing
import random
import sys
from pathlib import Path

import numpy as np

import generate_eval
from generate_eval import (CONSULTANTS, ENCODINGS_ONE_PAGE, EXTENSIONS, GP_PRACTICES, Context, Document, Style,
                           letterhead, new_patient, random_date, scans_for, signature, slash, write_pmi)

SEED = 20240917
DOCUMENTS_PER_TYPE = 8
TYPES = ("discharge_summary", "referral", "clinic_letter")

# (code, phrase): ICD-10 diagnoses, OPCS-4 procedures and SNOMED CT concepts as coders write them.
ICD10 = [("J18.9", "Community acquired pneumonia"), ("I21.4", "Acute subendocardial myocardial infarction"),
         ("E11.9", "Type 2 diabetes mellitus"), ("I48.9", "Atrial fibrillation"),
         ("J44.1", "Infective exacerbation of COPD"), ("N39.0", "Urinary tract infection"),
         ("K80.2", "Gallstones without cholecystitis"), ("M16.1", "Primary osteoarthritis of hip"),
         ("C18.7", "Carcinoma of sigmoid colon"), ("I10", "Essential hypertension"), ("K40.9", "Inguinal hernia")]
OPCS4 = [("K75.1", "Coronary angioplasty with insertion of stent"), ("J18.3", "Laparoscopic cholecystectomy"),
         ("W37.1", "Primary total hip replacement"), ("T20.2", "Primary repair of inguinal hernia"),
         ("H22.9", "Diagnostic colonoscopy"), ("E49.1", "Diagnostic bronchoscopy")]
SNOMED = [("22298006", "Myocardial infarction"), ("195967001", "Asthma"), ("233604007", "Pneumonia"),
          ("73211009", "Diabetes mellitus"), ("49436004", "Atrial fibrillation"), ("38341003", "Hypertension")]
# A waiting-list procedure with the OPCS-4 code that goes with it.
LISTED = [("Laparoscopic cholecystectomy", "J18.3"), ("Primary total hip replacement", "W37.1"),
          ("Primary repair of inguinal hernia", "T20.2"), ("Diagnostic colonoscopy", "H22.9")]
WARDS = ["Ward 12", "Ward 7", "Ward 21", "Acute Medical Unit", "Surgical Assessment Unit"]
UNITS = ["Coronary Care Unit", "Intensive Care Unit", "Ward 9", "High Dependency Unit"]
DESTINATIONS = ["Usual place of residence", "Nursing home", "Residential care home", "Community hospital"]
CLINICS = ["Respiratory Clinic", "Cardiology Clinic", "Diabetes Clinic", "Orthopaedic Clinic", "Surgical Clinic"]
PRIORITIES = {"urgent": "Urgent", "routine": "Routine", "two_week_wait": "Two week wait"}
PRIORITY_SENTENCES = {"urgent": "Thank you for accepting this urgent referral.",
                      "routine": "This is a routine referral.",
                      "two_week_wait": "This is a two week wait referral for suspected cancer."}
SCENARIOS = ["discharge_before_admission"]


def day(rng):
    """A date in the first five months of 2024, so the statistics have a monthly series."""
    return random_date(rng, datetime.date(2024, 1, 5), datetime.date(2024, 5, 25))


def event(kind, date, **details):
    return {"kind": kind, "date": date.isoformat(), **{k: v for k, v in details.items() if v}}


def code(system, entry):
    return {"system": system, "code": entry[0], "phrase": entry[1]}


def coded_line(page, entry, rng):
    """A code beside its phrase in one of the ways summaries and letters list them."""
    form = rng.choice(["after", "before", "bracketed"])
    if form == "after":
        page.text(f"{entry[1]} {entry[0]}")
    elif form == "before":
        page.text(f"{entry[0]}  {entry[1]}")
    else:
        page.text(f"{entry[1]} ({entry[0]})")


def discharge_summary(ctx, truth):
    rng, doc = ctx.rng, ctx.doc
    page = ctx.new_page(Style(*rng.choice([("sans", "sans-bold", 9.5), ("lsans", "lsans-bold", 10)])), 300)
    letterhead(page, rng.choice(["Acute Medical Unit", "Department of Cardiology", "Surgical Directorate"]))
    reference = rng.choice(ICD10[:9])[0]
    page.text(f"Our ref: {reference}")
    doc.trap("a reference shaped like an ICD-10 code")
    page.text("DISCHARGE SUMMARY", bold=True, pt=13)
    ctx.patient_block(page, style=rng.choice(["labelled", "two_column"]))
    page.gap(0.3)

    admitted = day(rng)
    discharged = admitted + datetime.timedelta(days=rng.randint(1, 12))
    inverted = doc.scenario == "discharge_before_admission"
    died = not inverted and rng.random() < 0.25
    method = rng.choice(["emergency", "elective"])
    ward = rng.choice(WARDS)
    specialty = rng.choice(CONSULTANTS)[2]
    destination = "" if died else rng.choice(DESTINATIONS)
    printed_admission, printed_discharge = (discharged, admitted) if inverted else (admitted, discharged)

    page.labelled(rng.choice(["Date of admission:", "Admission date:"]), slash(printed_admission))
    method_labelled = rng.random() < 0.7
    if method_labelled:
        page.labelled(rng.choice(["Admission method:", "Method of admission:"]), method.capitalize())
    page.labelled("Ward:", ward)
    page.labelled("Specialty:", specialty)
    page.labelled(rng.choice(["Date of discharge:", "Discharge date:"]), slash(printed_discharge))
    if destination:
        page.labelled("Discharge destination:", destination)
    if died:
        page.labelled("Date of death:", slash(discharged))
        truth["events"].append(event("death", discharged))
    if inverted:
        truth["expected_review_reason"] = (f"discharge date {printed_discharge.isoformat()} is before admission date "
                                           f"{printed_admission.isoformat()}")
    else:
        truth["events"].append(event("admission", admitted, ward=ward, specialty=specialty, method=method))
        truth["events"].append(event("discharge", discharged, destination=destination))

    transferred = admitted + datetime.timedelta(days=rng.randint(0, (discharged - admitted).days))
    unit = rng.choice(UNITS)
    form = rng.choice(["phrase", "labelled", None])
    if form:
        page.gap(0.3)
        page.text("Ward transfers", bold=True)
        if form == "phrase":
            page.text(f"Transferred from {ward} to {unit} on {slash(transferred)}.")
        else:
            page.labelled("Date of transfer:", slash(transferred))
            page.labelled("Transferred from:", ward)
            page.labelled("Transferred to:", unit)
        truth["events"].append(event("transfer", transferred, **{"from": ward, "to": unit}))

    page.gap(0.3)
    page.text("Diagnoses", bold=True)
    for entry in rng.sample(ICD10, rng.randint(1, 2)):
        coded_line(page, entry, rng)
        truth["codes"].append(code("icd10", entry))
    if rng.random() < 0.6:
        page.text("Procedures", bold=True)
        entry = rng.choice(OPCS4)
        coded_line(page, entry, rng)
        truth["codes"].append(code("opcs4", entry))
    if rng.random() < 0.5:
        entry = rng.choice(SNOMED)
        page.text(f"SNOMED CT: {entry[0]} {entry[1]}")
        truth["codes"].append(code("snomed_ct", entry))
    page.gap(0.3)
    page.text("Social history", bold=True)
    page.text(f"Lives alone; her husband died on {slash(random_date(rng, datetime.date(2010, 1, 1), datetime.date(2018, 1, 1)))}.")
    doc.trap("someone else's death mid-sentence")
    if method_labelled:
        page.text("Clinical course", bold=True)
    else:
        page.text(f"Clinical course: {'an emergency' if method == 'emergency' else 'an elective'} admission.", bold=True)
    page.paragraph("Treated on the ward with steady improvement; reviewed by the consultant before discharge.")


def referral(ctx, truth):
    rng, doc = ctx.rng, ctx.doc
    page = ctx.new_page(Style(*rng.choice([("serif", "serif-bold", 11), ("lsans", "lsans-bold", 10.5)])), 300)
    gp = rng.choice(GP_PRACTICES)
    page.text(gp[1], bold=True, pt=14)
    page.text(f"{gp[2]}, {gp[3]}, {gp[4]}")
    doc.trap("GP practice postcode")
    page.gap(0.3)
    page.text("REFERRAL", bold=True)
    ctx.patient_block(page, style=rng.choice(["labelled", "surname_forename"]))
    page.gap(0.3)
    received = day(rng)
    specialty = rng.choice(CONSULTANTS)[2]
    priority = rng.choice(list(PRIORITIES))
    page.labelled(rng.choice(["Referral received:", "Date of referral:", "Referral date:"]), slash(received))
    page.labelled(rng.choice(["Referred to:", "Specialty:"]), specialty)
    priority_labelled = rng.random() < 0.7
    if priority_labelled:
        page.labelled("Priority:", PRIORITIES[priority])
    truth["events"].append(event("referral", received, specialty=specialty, priority=priority))
    if rng.random() < 0.6:
        entry = rng.choice(ICD10)
        page.text(f"Provisional diagnosis: {entry[1]} ({entry[0]})")
        truth["codes"].append(code("icd10", entry))
    page.gap(0.3)
    page.text("Dear Colleague,")
    if not priority_labelled:
        page.text(PRIORITY_SENTENCES[priority])
    page.paragraph("Thank you for seeing this patient with a two-month history of progressive symptoms.")
    if rng.random() < 0.5:
        listed = received + datetime.timedelta(days=rng.randint(7, 40))
        procedure, opcs = rng.choice(LISTED)
        page.gap(0.3)
        page.text("Outcome", bold=True)
        page.labelled("Added to waiting list:", slash(listed))
        page.labelled("Procedure:", procedure)
        page.text(f"OPCS-4: {opcs}")
        truth["events"].append(event("waiting_list", listed, procedure=procedure))
        truth["codes"].append({"system": "opcs4", "code": opcs, "phrase": ""})
    page.gap(0.5)
    page.text("Yours sincerely,")
    page.text(gp[0])


def clinic_letter(ctx, truth):
    rng, doc = ctx.rng, ctx.doc
    page = ctx.new_page(Style(*rng.choice([("serif", "serif-bold", 11), ("sans", "sans-bold", 10)])), 300)
    consultant = rng.choice(CONSULTANTS)
    letterhead(page, f"Department of {consultant[2]}")
    seen = day(rng)
    clinic = rng.choice(CLINICS)
    page.text(f"Date: {slash(seen + datetime.timedelta(days=rng.randint(2, 9)))}", align="right")
    doc.trap("the letter's date")
    page.labelled("Clinic:", clinic)
    page.labelled(rng.choice(["Date seen:", "Clinic date:", "Date of clinic:"]), slash(seen))
    truth["events"].append(event("clinic_attendance", seen, clinic=clinic))
    ctx.patient_block(page, style=rng.choice(["labelled", "re_line"]))
    page.gap(0.3)
    page.text("Diagnoses:", bold=True)
    for entry in rng.sample(ICD10, rng.randint(1, 3)):
        coded_line(page, entry, rng)
        truth["codes"].append(code("icd10", entry))
    page.gap(0.3)
    page.paragraph(f"I saw this patient in the {clinic.lower()} today. Symptoms are stable on the current treatment.")
    if rng.random() < 0.5:
        listed = seen
        procedure, _ = rng.choice(LISTED)
        page.text(f"Added to the waiting list on {slash(listed)}")
        page.text(f"Listed for {procedure.lower()}")
        truth["events"].append(event("waiting_list", listed, procedure=procedure.lower()))
    page.text(f"Next appointment: {slash(seen + datetime.timedelta(days=rng.randint(60, 120)))}")
    doc.trap("the next appointment, which has not happened")
    page.gap(0.5)
    signature(page, consultant)


BUILDERS = {"discharge_summary": discharge_summary, "referral": referral, "clinic_letter": clinic_letter}


def main(argv):
    seed = SEED
    if len(argv) == 4 and argv[1] == "--seed" and argv[2].isdigit():
        seed = int(argv[2])
        argv = [argv[0], argv[3]]
    if len(argv) != 2:
        sys.exit("usage: generate_events_eval.py [--seed N] OUTPUT_DIR")
    out_dir = Path(argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)

    rng = random.Random(seed)
    nhs_taken, hosp_taken = set(), set()
    total = DOCUMENTS_PER_TYPE * len(TYPES)
    patients = [new_patient(rng, nhs_taken, hosp_taken) for _ in range(total)]
    documents, entries = [], []
    for index in range(total):
        doc_type = TYPES[index % len(TYPES)]
        scenario = SCENARIOS[0] if index == len(TYPES) else ""
        doc = Document(f"v{index + 1:03d}_{doc_type}", doc_type, patients[index], scenario)
        truth = {"events": [], "codes": []}
        BUILDERS[doc_type](Context(doc, rng), truth)
        doc.scans = scans_for(doc, rng)
        doc.encoding = rng.choice(ENCODINGS_ONE_PAGE)
        doc.file += "." + EXTENSIONS[doc.encoding]
        documents.append(doc)
        entries.append({"file": doc.file, "document_type": doc_type, "scenario": scenario or "plain",
                        "traps": doc.traps, **truth})

    pixel_seed = np.random.RandomState(seed)
    generate_eval._SCAN_JOBS = [(doc, out_dir, pixel_seed.randint(0, 2**31 - 1)) for doc in documents]
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(generate_eval.write_scan_job, range(len(documents)))
    with open(out_dir / "events_truth.json", "w") as f:
        json.dump(entries, f, indent=2)
        f.write("\n")
    write_pmi(out_dir / "patients.csv", patients, {p.nhs_number: p.date_of_birth for p in patients}, rng, nhs_taken)
    events = sum(len(e["events"]) for e in entries)
    codes = sum(len(e["codes"]) for e in entries)
    print(f"{len(documents)} documents, {events} events, {codes} codes in {out_dir}")


if __name__ == "__main__":
    main(sys.argv)
