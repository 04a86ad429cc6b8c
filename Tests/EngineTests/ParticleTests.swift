import Engine
import Foundation
import Model
import Testing

/// Names with a particle are found typed joined, as people type them: "legoff" finds
/// "Le Goff", "dasilva" finds "Da Silva", "delafontaine" finds "De La Fontaine"; the
/// two-word forms still work, and the joined form ranks as an exact name match.
@Suite("Name particles") struct ParticleTests {
    @Test(arguments: [
        ("legoff", "k1"), ("lego", "k1"), ("le goff", "k1"), ("goff", "k1"),
        ("dasilva", "k2"), ("da silva", "k2"), ("delafontaine", "k3"), ("de la fontaine", "k3"),
    ])
    func joinedParticles(query: String, expected: String) throws {
        let e = try TestEngine("particles")
        defer { e.close() }
        let t = try e.engine.createTenant("t")
        t.load([
            upsertLine(.client, "c1", ["name": "Atelier Nord"]),
            upsertLine(.clientContact, "k1", ["client_id": "c1", "first_name": "Zoë", "last_name": "Le Goff"]),
            upsertLine(.clientContact, "k2", ["client_id": "c1", "first_name": "Rui", "last_name": "Da Silva"]),
            upsertLine(.clientContact, "k3", ["client_id": "c1", "first_name": "Anne", "last_name": "De La Fontaine"]),
            upsertLine(.clientContact, "k4", ["client_id": "c1", "first_name": "Léon", "last_name": "Gofflet"]),
        ].joined(separator: "\n"))
        let r = try t.search(SearchRequest(query: query))
        #expect(r.first(.clientContact) == expected, "\(query): \(r.ids(.clientContact))")
    }
}

/// A whole reference finds its record alone: the year inside it is not a term of its own.
@Suite struct ReferenceQueryTests {
    @Test func aWholeReferenceDoesNotMatchTheOtherReferencesOfItsYear() throws {
        let e = try TestEngine("references")
        defer { e.close() }
        let t = try e.engine.createTenant("refs")
        t.load((1...30).map { n in
            upsertLine(.event, "ev-\(n)", ["name": "Salon \(n)", "reference": "EV-2023-\(88600 + n)"])
        }.joined(separator: "\n"))
        let r = try t.search("EV-2023-88615")
        #expect(r.ids(.event) == ["ev-15"])
        #expect(r.group(.event).total == 1)
    }
}
