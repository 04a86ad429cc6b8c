#!/usr/bin/env python3
"""Writes the import fixtures of TransferTests with independent libraries: the same four
rows of the import template as .xlsx (openpyxl), .xls (xlwt, BIFF8) and .csv (UTF-8 with BOM
and `,`; Windows-1252 with `;`). Run from this directory: python3 make_fixtures.py
(pip install openpyxl xlwt)."""
import csv
import datetime
import io

import openpyxl
import xlwt

HEADERS = [
    "Date de création", "Société cliente", "SIRET", "Numéro de TVA", "Site web", "Compte comptable client",
    "Langues société", "Type société", "Code APE", "Adresse 1", "Adresse 2", "Code postal", "Ville", "Pays",
    "Civilité", "Prénom du contact", "Nom du contact", "Email du contact", "Téléphone direct du contact",
    "Téléphone standard", "Téléphone portable du contact", "Facebook", "LinkedIn", "Twitter", "Instagram",
    "Commentaires sur le contact", "Catégorie du commentaire contact", "Opt-In", "Poste occupé du contact",
    "Situation", "Source",
]

# Values by header; dates as datetime.date (cells with a date format in xlsx/xls, dd/mm/yyyy in csv).
ROWS = [
    {"Date de création": datetime.date(2023, 5, 17), "Société cliente": "Crêperie Élodie", "SIRET": "732 829 320 00074",
     "Code postal": "35000", "Ville": "Rennes", "Pays": "France", "Civilité": "Mme", "Prénom du contact": "Élodie",
     "Nom du contact": "Le Gall", "Email du contact": "elodie@creperie-elodie.fr",
     "Téléphone direct du contact": "02 99 00 00 01", "Opt-In": "OUI",
     "Commentaires sur le contact": "Vue au salon\nà rappeler en mars", "Catégorie du commentaire contact": "Prospection",
     "Poste occupé du contact": "Gérante", "Source": "Salon"},
    {"Date de création": datetime.date(2024, 1, 2), "Société cliente": "Crêperie Élodie", "Prénom du contact": "Noël",
     "Nom du contact": "Œillet", "Email du contact": "noel@creperie-elodie.fr", "Téléphone portable du contact": "06 12 34 56 78",
     "Opt-In": "NON", "Poste occupé du contact": "Chef « crêpier »"},
    {"Société cliente": "Château de Bézu", "Numéro de TVA": "FR40303265045", "Site web": "www.chateau-bezu.fr",
     "Code APE": "5510Z", "Adresse 1": "1, rue du Château", "Code postal": "11190", "Ville": "Bézu",
     "Prénom du contact": "François", "Nom du contact": "Dœuf", "Email du contact": "f.doeuf@chateau-bezu.fr",
     "Situation": "Membre"},
    {"Société cliente": "Sans Contact SARL", "Langues société": "Français, Anglais", "Type société": "Agence"},
]


def cell(r, h):
    return r.get(h, "")


def write_xlsx():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Clients"
    ws.append(HEADERS)
    for r in ROWS:
        ws.append([cell(r, h) if cell(r, h) != "" else None for h in HEADERS])
    for row in ws.iter_rows(min_row=2, max_col=1):
        for c in row:
            if c.value is not None:
                c.number_format = "DD/MM/YYYY"
    wb.save("Fixtures/clients-openpyxl.xlsx")


def write_xls():
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Clients")
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for j, h in enumerate(HEADERS):
        ws.write(0, j, h)
    for i, r in enumerate(ROWS, start=1):
        for j, h in enumerate(HEADERS):
            v = cell(r, h)
            if v == "":
                continue
            if isinstance(v, datetime.date):
                ws.write(i, j, v, date_style)
            else:
                ws.write(i, j, v)
    wb.save("Fixtures/clients-xlwt.xls")


def csv_rows():
    out = [HEADERS]
    for r in ROWS:
        out.append([v.strftime("%d/%m/%Y") if isinstance(v, datetime.date) else v for v in (cell(r, h) for h in HEADERS)])
    return out


def write_csv(path, encoding, delimiter):
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(csv_rows())
    with open(path, "wb") as f:
        f.write(buf.getvalue().encode(encoding))


write_xlsx()
write_xls()
write_csv("Fixtures/clients-utf8-bom-comma.csv", "utf-8-sig", ",")
write_csv("Fixtures/clients-cp1252-semicolon.csv", "cp1252", ";")
