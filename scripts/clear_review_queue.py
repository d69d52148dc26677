#!/usr/bin/python3
"""Clears the review queue of an ingested evaluation set with `casenote review`, the way a clerk
with the paper in front of them would, and shows that the CLI alone is enough to do it.

Usage: scripts/clear_review_queue.py CASENOTE DB SET_DIR

SET_DIR is a set written by samples/generate_eval.py (its ground_truth.json stands for what the
clerk reads on the paper); DB holds that set ingested with the set's patients.csv imported. For
each document in review the clerk links it to the patient the paper names when the index holds
them, else corrects the fields that were misread and creates the patient from the document, and
rejects it only when neither works. Prints each command, a tally, and the queue left at the end.
"""
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path


def run(casenote, db, *args):
    result = subprocess.run([casenote, *args, "--db", db], capture_output=True, text=True)
    return result.returncode, result.stdout + result.stderr


def documents_in_review(casenote, db):
    code, output = run(casenote, db, "export", "--format", "jsonl")
    if code != 0:
        sys.exit(f"export failed: {output}")
    documents = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    return [d for d in documents if d["status"] == "needs_review"]


def patient_id_with_nhs_number(casenote, db, nhs_number):
    code, output = run(casenote, db, "patients", "search", nhs_number)
    for line in output.splitlines():
        if code == 0 and f"NHS {nhs_number}" in line:
            return line.split()[0]
    return None


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__)
    casenote, db, set_dir = argv[1], argv[2], Path(argv[3])
    truth = {entry["file"]: entry for entry in json.loads((set_dir / "ground_truth.json").read_text())}
    queue = documents_in_review(casenote, db)
    print(f"{len(queue)} documents in review")
    tally = Counter()
    for document in queue:
        paper = truth[Path(document["source"]).name]
        doc_id = document["document_id"]
        nhs_number = paper.get("patient", {}).get("nhs_number") or paper["fields"].get("nhs_number")
        patient_id = patient_id_with_nhs_number(casenote, db, nhs_number) if nhs_number else None
        if patient_id:
            decisions = [("link", ["review", "link", doc_id, patient_id])]
        else:
            read = {name: field["value"] for name, field in document["fields"].items()}
            decisions = [("correct " + name, ["review", "correct", doc_id, name, paper["fields"][name]])
                         for name in ("nhs_number", "patient_name", "date_of_birth")
                         if name in paper["fields"] and read.get(name) != paper["fields"][name]]
            decisions.append(("new-patient", ["review", "new-patient", doc_id]))
        for action, args in decisions:
            code, output = run(casenote, db, *args)
            print(f"$ casenote {' '.join(args)}\n  {output.strip()}")
            tally[action.split()[0] if code == 0 else "refused"] += 1
            if code == 0 and "filed to" in output:
                break
    left = documents_in_review(casenote, db)
    print("\nactions: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())))
    print(f"{len(left)} documents left in review")
    return 0 if not left else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
