import Engine
import Foundation
import Model
import Testing

/// The hand-made French data set of the relevance tests: 50 records whose ids say what they are
/// (`c-` clients, `cc-` client contacts, `p-` partners, `pc-` partner contacts, `ev-` events,
/// `pr-` products). Loaded once per test process into its own tenant; the relevance tests only
/// read it (tests that write use their own tenants).
///
/// What is in it, and why:
/// - companies whose names exercise the analyzer: EDF (SIRET, VAT, SIREN), L’Oréal (curly
///   apostrophe), Théâtre de l’Œuvre (ligature), Saint-Étienne Réceptions (hyphen),
///   Dupont Traiteur SARL (legal form), Musée du Louvre (stop word), Bistro <img …> (HTML),
///   Comptoir d'Italie (straight apostrophe), Lætitia Straßer (æ, ß);
/// - typo targets of every length: Onyx (4), Opale (5), Kalista (7), Bergamot (8),
///   Montgolfier (11);
/// - Lumière Production (name) vs Atelier Galet (rue Lumière in its address): name fields first;
/// - Marin (exact) / Marinette (prefix) / Morin (typo): exact > prefix > typo;
/// - two Martins (EDF, L’Oréal) and two Lefèvres: the company or the first name decides;
/// - seven "Régisseur" contacts with names of equal length, inserted out of id order: ties by id;
/// - "Zéphyr" in 4 clients (one inactive), 2 contacts (company), 1 partner, 1 event: exact totals;
/// - Brume Événements, an inactive company with an active contact.
enum RelevanceData {
    static let ndjson = #"""
{"op":"upsert","type":"client","id":"c-edf","record":{"name":"EDF","city":"Paris","postal_code":"75008","siret":"552 081 317 66522","vat_number":"FR 03 552 081 317","address1":"22-30 avenue de Wagram","ape_code":"35.11Z"}}
{"op":"upsert","type":"client","id":"c-edf-renouvelables","record":{"name":"EDF Renouvelables","city":"Courbevoie","parent_id":"c-edf","siret":"41234567000019"}}
{"op":"upsert","type":"client","id":"c-loreal","record":{"name":"L’Oréal","city":"Clichy","siret":"63201210000012","vat_number":"fr10632012100"}}
{"op":"upsert","type":"client","id":"c-oeuvre","record":{"name":"Théâtre de l’Œuvre","city":"Paris","address1":"55 rue de Clichy"}}
{"op":"upsert","type":"client","id":"c-saint-etienne","record":{"name":"Saint-Étienne Réceptions","city":"Saint-Étienne","postal_code":"42000"}}
{"op":"upsert","type":"client","id":"c-dupont","record":{"name":"Dupont Traiteur SARL","city":"Lyon","siret":"387 654 320 00010"}}
{"op":"upsert","type":"client","id":"c-musee","record":{"name":"Musée du Louvre","city":"Paris"}}
{"op":"upsert","type":"client","id":"c-kalista","record":{"name":"Kalista","city":"Nantes","siret":"79012345900014"}}
{"op":"upsert","type":"client","id":"c-montgolfier","record":{"name":"Montgolfier Aérostats","city":"Annonay"}}
{"op":"upsert","type":"client","id":"c-bergamot","record":{"name":"Bergamot Conseil","city":"Grasse"}}
{"op":"upsert","type":"client","id":"c-opale","record":{"name":"Opale Traiteur","city":"Calais"}}
{"op":"upsert","type":"client","id":"c-onyx","record":{"name":"Onyx","city":"Rennes"}}
{"op":"upsert","type":"client","id":"c-lumiere","record":{"name":"Lumière Production","city":"Lyon"}}
{"op":"upsert","type":"client","id":"c-atelier-galet","record":{"name":"Atelier Galet","address1":"12 rue Lumière","city":"Marseille"}}
{"op":"upsert","type":"client","id":"c-bistro","record":{"name":"Bistro <img src=x onerror=alert(1)> Gourmand","city":"Bordeaux"}}
{"op":"upsert","type":"client","id":"c-zephyr-conseil","record":{"name":"Zéphyr Conseil","city":"Toulouse"}}
{"op":"upsert","type":"client","id":"c-agence-zephyr","record":{"name":"Agence Zéphyr","city":"Nice"}}
{"op":"upsert","type":"client","id":"c-zephyr-studio","record":{"name":"Zéphyr Studio","city":"Lille"}}
{"op":"upsert","type":"client","id":"c-zephyr-archives","record":{"name":"Zéphyr Archives","city":"Metz","active":false}}
{"op":"upsert","type":"client","id":"c-brume","record":{"name":"Brume Événements","city":"Brest","active":false}}
{"op":"upsert","type":"client_contact","id":"cc-paul-martin","record":{"client_id":"c-edf","first_name":"Paul","last_name":"Martin","email":"paul.martin@edf.fr","position":"Acheteur","is_primary":true}}
{"op":"upsert","type":"client_contact","id":"cc-jean-martin","record":{"client_id":"c-loreal","first_name":"Jean","last_name":"Martin","email":"j.martin@loreal.com","position":"Chef de projet"}}
{"op":"upsert","type":"client_contact","id":"cc-jf-lefevre","record":{"client_id":"c-kalista","first_name":"Jean-François","last_name":"Lefèvre","email":"jf.lefevre@kalista.fr","phone_mobile":"06 12 34 56 78","position":"Directeur commercial"}}
{"op":"upsert","type":"client_contact","id":"cc-marc-lefevre","record":{"client_id":"c-oeuvre","first_name":"Marc","last_name":"Lefèvre","phone_direct":"01 42 65 27 83","position":"Administrateur"}}
{"op":"upsert","type":"client_contact","id":"cc-luc-dupont","record":{"client_id":"c-kalista","first_name":"Luc","last_name":"Dupont","position":"Assistant"}}
{"op":"upsert","type":"client_contact","id":"cc-claire-fabre","record":{"client_id":"c-dupont","first_name":"Claire","last_name":"Fabre","position":"Gérante"}}
{"op":"upsert","type":"client_contact","id":"cc-marin","record":{"client_id":"c-lumiere","first_name":"Lucie","last_name":"Marin","position":"Productrice"}}
{"op":"upsert","type":"client_contact","id":"cc-marinette","record":{"client_id":"c-lumiere","first_name":"Claire","last_name":"Marinette","position":"Comptable"}}
{"op":"upsert","type":"client_contact","id":"cc-morin","record":{"client_id":"c-montgolfier","first_name":"Sophie","last_name":"Morin","position":"Pilote"}}
{"op":"upsert","type":"client_contact","id":"cc-curie","record":{"client_id":"c-montgolfier","first_name":"Marie","last_name":"Curie","email":"marie.curie@radium-conseil.fr","position":"Physicienne"}}
{"op":"upsert","type":"client_contact","id":"cc-vasquez","record":{"client_id":"c-brume","first_name":"Hugo","last_name":"Vasquez","position":"Fondateur"}}
{"op":"upsert","type":"client_contact","id":"cc-zephyr-1","record":{"client_id":"c-zephyr-conseil","first_name":"Inès","last_name":"Abadie","position":"Consultante"}}
{"op":"upsert","type":"client_contact","id":"cc-zephyr-2","record":{"client_id":"c-zephyr-conseil","first_name":"Rémi","last_name":"Bastide","position":"Consultant"}}
{"op":"upsert","type":"client_contact","id":"cc-reg-5","record":{"client_id":"c-opale","first_name":"Anne","last_name":"Aime","position":"Régisseur"}}
{"op":"upsert","type":"client_contact","id":"cc-reg-2","record":{"client_id":"c-opale","first_name":"Anne","last_name":"Abry","position":"Régisseur"}}
{"op":"upsert","type":"client_contact","id":"cc-reg-7","record":{"client_id":"c-opale","first_name":"Anne","last_name":"Amar","position":"Régisseur"}}
{"op":"upsert","type":"client_contact","id":"cc-reg-1","record":{"client_id":"c-opale","first_name":"Anne","last_name":"Abel","position":"Régisseur"}}
{"op":"upsert","type":"client_contact","id":"cc-reg-4","record":{"client_id":"c-opale","first_name":"Anne","last_name":"Agut","position":"Régisseur"}}
{"op":"upsert","type":"client_contact","id":"cc-reg-6","record":{"client_id":"c-opale","first_name":"Anne","last_name":"Alix","position":"Régisseur"}}
{"op":"upsert","type":"client_contact","id":"cc-reg-3","record":{"client_id":"c-opale","first_name":"Anne","last_name":"Adam","position":"Régisseur"}}
{"op":"upsert","type":"client","id":"c-comptoir","record":{"name":"Comptoir d'Italie","city":"Annecy"}}
{"op":"upsert","type":"client_contact","id":"cc-laetitia","record":{"client_id":"c-bergamot","first_name":"Lætitia","last_name":"Straßer","position":"Parfumeuse"}}
{"op":"upsert","type":"partner","id":"p-zephyr","record":{"name":"Zéphyr Location","category":"Location de matériel","city":"Toulouse"}}
{"op":"upsert","type":"partner","id":"p-sono","record":{"name":"Sonorisation Dubreuil","category":"Son et lumière","city":"Lyon","vat_number":"FR70445566771"}}
{"op":"upsert","type":"partner_contact","id":"pc-dubreuil","record":{"partner_id":"p-sono","first_name":"Xavier","last_name":"Dubreuil","phone_direct":"+33 4 78 12 45 90","email":"xavier@dubreuil-sono.fr"}}
{"op":"upsert","type":"event","id":"ev-seminaire-edf","record":{"name":"Séminaire annuel","reference":"EV-2025-00042","client_id":"c-edf","contact_id":"cc-paul-martin","start_date":"2025-06-12","city":"Deauville"}}
{"op":"upsert","type":"event","id":"ev-soiree-zephyr","record":{"name":"Soirée Zéphyr","reference":"EV-2025-00043","client_id":"c-kalista","start_date":"2025-09-20","city":"Nantes"}}
{"op":"upsert","type":"event","id":"ev-gala-loreal","record":{"name":"Gala de printemps","reference":"EV-2024-00007","client_id":"c-loreal","start_date":"2024-04-02","city":"Paris"}}
{"op":"upsert","type":"product","id":"pr-sono","record":{"name":"Pack sonorisation","reference":"PRD-00123","partner_id":"p-sono","unit_price":1200,"category":"Son"}}
{"op":"upsert","type":"product","id":"pr-xr2000","record":{"name":"Module XR2000","reference":"PRD-00456","partner_id":"p-sono","unit_price":350.5}}
"""#

    /// The shared tenant, loaded on first use.
    static let tenant: Tenant = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("labsearch-relevance-\(UUID().uuidString)").path
        let engine = try! Engine(config: EngineConfig(dataDirectory: dir))
        let t = try! engine.createTenant("relevance")
        let r = t.bulk(ndjson: Data(ndjson.utf8))
        precondition(r.errors.isEmpty, "relevance data rejected: \(r.errors)")
        precondition(t.waitForIndexBlocking(r.lastSeq, timeout: 60), "relevance data not indexed")
        holder = (engine, dir)
        atexit {
            if let (e, d) = RelevanceData.holder { e.shutdown(); try? FileManager.default.removeItem(atPath: d) }
        }
        return t
    }()

    nonisolated(unsafe) private static var holder: (Engine, String)?
}
