import Engine
import Foundation
import HTTPTypes
import Hummingbird
import Model

/// `POST /v1/lists/{list}` (the list query) and `GET /v1/lists/{list}/columns` (API.md "Lists").
extension Routes {
    func addListRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("lists/:list") { request, context in
            let caller = try context.caller()
            let list = try Self.listName(context)
            let body = try await request.jsonObject(limit: config.maxBodyBytes)
            let query = try ListRequest.parse(.object(body), list: list, maxQueryCharacters: config.maxQueryCharacters)
            let tenant = caller.tenant
            let bytes = try await pool.runPreferringCaller { try tenant.list(query).json.compactJSONBytes() }
            return Self.json(bytes, headers: [.cacheControl: "no-store"])
        }
        group.get("lists/:list/columns") { _, context in
            _ = try context.caller()
            let list = try Self.listName(context)
            return Self.json(Self.columnsJSON(list).compactJSONBytes())
        }
    }

    static func listName(_ context: AppRequestContext) throws -> ListName {
        let raw = context.parameters.get("list") ?? ""
        guard let list = ListName(rawValue: raw) else {
            throw Problem.invalidParameter("list", "Liste inconnue « \(raw) » : clients, contacts, partners, partner-contacts, events ou products.")
        }
        return list
    }

    /// The columns of a list: name, French label, type, the filter operators allowed, and
    /// whether the list keeps them indexed (sorts and filters on them stay fast at any size).
    static func columnsJSON(_ list: ListName) -> JSONValue {
        .object([
            "list": .string(list.rawValue),
            "label": .string(list.label),
            "default_sort": .array(list.defaultSort.map { .object(["column": .string($0.column), "dir": .string($0.descending ? "desc" : "asc")]) }),
            "columns": .array(list.columns.map { c in
                .object([
                    "name": .string(c.name), "label": .string(c.label), "type": .string(c.type.rawValue),
                    "ops": .array(c.type.ops.map { .string($0.rawValue) }),
                    "derived": .bool(c.source.isDerived), "indexed": .bool(c.indexed),
                ])
            }),
            "custom_fields": .string("custom.<nom> : tout champ personnalisé, filtré et trié comme du texte."),
        ])
    }
}
