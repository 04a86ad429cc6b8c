#!/usr/bin/env python3
"""Writes an import-template .xlsx (openpyxl) from demo NDJSON: the first N client contacts,
each with its company's fields. Usage: ndjson_to_template_xlsx.py IN.ndjson OUT.xlsx N"""
import datetime
import json
import sys

import openpyxl

HEADERS = [
    ("Date de création", "contact", "created_at"), ("Société cliente", "client", "name"), ("SIRET", "client", "siret"),
    ("Numéro de TVA", "client", "vat_number"), ("Site web", "client", "website"),
    ("Compte comptable client", "client", "accounting_account"), ("Langues société", "client", "language"),
    ("Type société", "client", "type"), ("Code APE", "client", "ape_code"), ("Adresse 1", "client", "address1"),
    ("Adresse 2", "client", "address2"), ("Code postal", "client", "postal_code"), ("Ville", "client", "city"),
    ("Pays", "client", "country"), ("Civilité", "contact", "civility"), ("Prénom du contact", "contact", "first_name"),
    ("Nom du contact", "contact", "last_name"), ("Email du contact", "contact", "email"),
    ("Téléphone direct du contact", "contact", "phone_direct"), ("Téléphone standard", "contact", "phone_switchboard"),
    ("Téléphone portable du contact", "contact", "phone_mobile"), ("Facebook", "contact", "facebook"),
    ("LinkedIn", "contact", "linkedin"), ("Twitter", "contact", "twitter"), ("Instagram", "contact", "instagram"),
    ("Commentaires sur le contact", "contact", "comment"), ("Catégorie du commentaire contact", "contact", "comment_category"),
    ("Opt-In", "contact", "opt_in"), ("Poste occupé du contact", "contact", "position"),
    ("Situation", "contact", "situation"), ("Source", "contact", "source"),
]


def main(src, dst, n):
    clients, contacts = {}, []
    with open(src, encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            if o["type"] == "client":
                clients[o["id"]] = o["record"]
            elif o["type"] == "client_contact" and len(contacts) < n:
                contacts.append(o["record"])
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Contacts")
    ws.append([h for h, _, _ in HEADERS])
    for c in contacts:
        company = clients.get(c.get("client_id"), {})
        row = []
        for _, side, field in HEADERS:
            v = (c if side == "contact" else company).get(field)
            if field == "created_at" and v:
                v = datetime.date.fromisoformat(v[:10])
            elif field == "opt_in":
                v = "OUI" if v else "NON"
            row.append(v)
        ws.append(row)
    wb.save(dst)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
