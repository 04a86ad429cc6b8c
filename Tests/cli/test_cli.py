"""The command line's import, export, template and users, on a real data directory, read back
with openpyxl (an independent xlsx reader). LABSEARCH_BIN names the labsearch binary."""
import csv
import io
import os
import subprocess
import tempfile

import openpyxl
import pytest

BIN = os.environ.get("LABSEARCH_BIN", ".build/debug/labsearch")

TEMPLATE = [
    "Date de création", "Société cliente", "SIRET", "Numéro de TVA", "Site web", "Compte comptable client",
    "Langues société", "Type société", "Code APE", "Adresse 1", "Adresse 2", "Code postal", "Ville", "Pays",
    "Civilité", "Prénom du contact", "Nom du contact", "Email du contact", "Téléphone direct du contact",
    "Téléphone standard", "Téléphone portable du contact", "Facebook", "LinkedIn", "Twitter", "Instagram",
    "Commentaires sur le contact", "Catégorie du commentaire contact", "Opt-In", "Poste occupé du contact",
    "Situation", "Source",
]


def run(data, *args, stdin=None, check=True):
    p = subprocess.run([BIN, *args, "--data", data], input=stdin, capture_output=True, text=True, timeout=300)
    if check and p.returncode != 0:
        raise AssertionError(f"{args}: exit {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p


@pytest.fixture()
def data():
    with tempfile.TemporaryDirectory(prefix="labsearch-cli-") as d:
        run(d, "tenant", "create", "acme")
        yield d


def test_template_has_the_french_headers(data, tmp_path):
    out = tmp_path / "modele.xlsx"
    subprocess.run([BIN, "import-template", "--kind", "contacts", "--out", str(out)], check=True)
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[1]] == TEMPLATE


def test_users_import_and_export(data, tmp_path):
    # A user: the password read from standard input, stored hashed.
    run(data, "user", "create", "--tenant", "acme", "--email", "Admin@Acme.fr", "--role", "admin", stdin="s3cret password\n")
    listed = run(data, "user", "list", "--tenant", "acme").stdout
    assert "admin@acme.fr\tadmin" in listed
    system = open(os.path.join(data, "system.sqlite"), "rb").read()
    assert b"s3cret password" not in system and b"$argon2id$" in system
    assert run(data, "user", "create", "--tenant", "acme", "--email", "x@acme.fr", "--password", "short", check=False).returncode == 1

    rows = [
        {"Société cliente": "Crêperie Élodie", "SIRET": "732 829 320 00074", "Ville": "Rennes", "Prénom du contact": "Élodie",
         "Nom du contact": "Le Gall", "Email du contact": "elodie@creperie.fr", "Opt-In": "OUI", "Date de création": "17/05/2023"},
        {"Société cliente": "Crêperie Élodie", "Prénom du contact": "Noël", "Nom du contact": "Œillet", "Email du contact": "noel@creperie.fr"},
        {"Société cliente": "Sans SIRET", "Prénom du contact": "Paul", "Nom du contact": "Durand", "SIRET": "123"},
    ]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(TEMPLATE)
    for r in rows:
        w.writerow([r.get(h, "") for h in TEMPLATE])
    src = tmp_path / "clients.csv"
    src.write_bytes(buf.getvalue().encode("cp1252"))

    preview = run(data, "import", "--tenant", "acme", "--kind", "clients", "--preview", str(src), check=False)
    assert preview.returncode == 1, preview.stderr            # one row in error
    assert "2 à importer" in preview.stdout and "1 en erreur" in preview.stdout
    assert "Ligne 4 : erreur" in preview.stdout and "SIRET" in preview.stdout
    commit = run(data, "import", "--tenant", "acme", "--kind", "clients", str(src), check=False)
    assert commit.returncode == 1
    assert "1 sociétés clientes et 2 contacts créés" in commit.stdout
    again = run(data, "import", "--tenant", "acme", "--kind", "clients", str(src), check=False)
    assert "0 sociétés clientes et 0 contacts créés" in again.stdout

    out = tmp_path / "contacts.xlsx"
    run(data, "export", "--tenant", "acme", "--kind", "contacts", "--format", "xlsx", "--out", str(out))
    ws = openpyxl.load_workbook(out).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][:31] == TEMPLATE
    assert [r[16] for r in values[1:]] == ["Le Gall", "Œillet"]     # sorted by last name
    assert values[1][0].strftime("%d/%m/%Y") == "17/05/2023"        # a real date cell, dd/mm/yyyy
    assert values[1][27] == "OUI" and values[2][27] == "NON"

    out_csv = tmp_path / "clients.csv"
    run(data, "export", "--tenant", "acme", "--kind", "clients", "--format", "csv", "--encoding", "utf-8-bom", "--out", str(out_csv))
    raw = out_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(raw[3:].decode("utf-8")), delimiter=";"))
    assert parsed[0][:31] == TEMPLATE and parsed[0][31] == "Contact principal"
    assert parsed[1][1] == "Crêperie Élodie" and parsed[1][31] == "Élodie Le Gall" and parsed[1][33] == "2"


def test_unreadable_files_exit_2(data, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04" + os.urandom(200))
    p = run(data, "import", "--tenant", "acme", "--kind", "clients", str(bad), check=False)
    assert p.returncode == 2 and "labsearch" in p.stderr


def test_export_writes_beside_the_target_then_renames(data, tmp_path):
    # The file is written to a temporary name in the same directory and renamed at the end:
    # an older file of that name is replaced whole, and nothing else is left behind.
    out = tmp_path / "clients.csv"
    out.write_bytes(b"old content")
    run(data, "export", "--tenant", "acme", "--kind", "clients", "--format", "csv", "--out", str(out))
    assert out.read_bytes().startswith("Date de création;".encode())
    assert sorted(os.listdir(tmp_path)) == ["clients.csv"]
    # A directory that does not exist: a failure, and no file anywhere.
    missing = tmp_path / "nowhere" / "clients.xlsx"
    p = run(data, "export", "--tenant", "acme", "--kind", "clients", "--format", "xlsx", "--out", str(missing), check=False)
    assert p.returncode != 0 and not missing.exists()
    assert sorted(os.listdir(tmp_path)) == ["clients.csv"]
