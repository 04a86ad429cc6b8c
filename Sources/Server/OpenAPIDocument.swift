/// The OpenAPI 3.1 description of the HTTP API, served at `/openapi.yaml`. Hand-written
/// (the shared response sets are written out in full, so any OpenAPI tool reads it);
/// `OpenAPITests` checks it names every route the server registers, and the other way round.
/// Keep it in step with the routes and with ../shared/API.md.
enum OpenAPIDocument {
    static let yaml = #"""
openapi: 3.1.0
info:
  title: LabSearch
  version: 1.0.0
  summary: Search engine of the Lab Event CRM (clients, partners, their contacts, events, products).
  description: "The HTTP contract of LabSearch (see API.md). JSON in UTF-8. Errors use\n`application/problem+json`\
    \ (RFC 9457 style): `type` is a stable English slug, `title`,\n`detail` and `errors[].message` are in French,\
    \ `errors[].field` is a dotted path\n(`main_contact.email`, `billing_addresses[0].postal_code`).\n\nStatus codes\
    \ used everywhere:\n- `400` a malformed request: body that is not valid UTF-8 / JSON / a JSON object\n  (type\
    \ `invalid-body`, field `body`), or a bad query parameter (type `invalid-parameter`,\n  field = the parameter's\
    \ name);\n- `401` missing, unknown or revoked API key (type `unauthorized`, header\n  `WWW-Authenticate: Bearer`);\n\
    - `403` the key's role may not do this (type `forbidden`), or a cross-origin request from\n  an origin that\
    \ is not allowed (type `cors-refused`; no origin is allowed by default);\n- `404` no such record in the key's\
    \ tenant, or no such route (type `not-found`); another\n  tenant's record is always `404`;\n- `409` `id-exists`\
    \ (POST with an id in use), `conflict` (main-contact rules, a company that\n  still has children), `duplicate`\
    \ (a likely duplicate created, or an identifier changed into another record's, without\n  `?force=true`);\n- `413` body over the limit (1 MiB; bulk 64 MiB; import 2 MiB) (type `payload-too-large`);\n- `414`\
    \ request target over 8 KiB (type `uri-too-long`);\n- `415` wrong `Content-Type` (type `unsupported-media-type`);\n\
    - `422` well-formed JSON whose content is refused: unknown fields, wrong types, invalid\n  values, missing required\
    \ fields, unknown references (type `validation`, one entry per\n  field in `errors`). Validation is always `422`,\
    \ never `400`;\n- `431` header fields over 16 KiB together (type `headers-too-large`; past 80 KiB\
    \ the HTTP parser answers `400` and closes the connection);\n- `500` unexpected error (type `internal`);\n\
    \  `503` the index is held by another process (type `index-busy`).\n\nRoles: a `user` key searches, reads and\
    \ writes records one by one; an `admin` key may also\nbulk-load (`/v1/bulk`) and rebuild the index. Limits are\
    \ configurable on the server.\n"
  license:
    name: Proprietary
servers:
- url: http://127.0.0.1:8080
  description: Default (loopback)
security:
- bearerAuth: []
tags:
- name: search
- name: records
- name: bulk
- name: index
- name: service
- name: transfer
- name: lists
paths:
  /v1/search:
    get:
      tags:
      - search
      operationId: search
      summary: Global search bar query, grouped in four tabs.
      description: 'All four tabs are always present, in the order clients, partners, events, products,

        with exact totals. Any text is searched as plain text (operators and symbols have no

        special meaning). An empty or blank `q` answers `200` with zero totals and no

        suggestions. `title`/`subtitle` are plain text; `highlights` values are HTML-escaped

        text with only `<mark>` tags added.

        '
      parameters:
      - name: q
        in: query
        required: true
        description: The text typed (at most 512 characters; longer → 400 naming `q`).
        schema:
          type: string
          maxLength: 512
      - name: limit
        in: query
        description: Hits per group, 0–50 (0 = counts only).
        schema:
          type: integer
          minimum: 0
          maximum: 50
          default: 5
      - name: tab
        in: query
        description: Only this tab gets hits; the others keep their totals with empty `hits`.
        schema:
          type: string
          enum:
          - clients
          - partners
          - events
          - products
      - name: offset
        in: query
        description: Hits skipped in each group of `tab` (at most 10000).
        schema:
          type: integer
          minimum: 0
          maximum: 10000
          default: 0
      - name: inactive
        in: query
        description: Whether inactive records are excluded, included, or the only ones shown.
        schema:
          type: string
          enum:
          - exclude
          - include
          - only
          default: exclude
      responses:
        '200':
          description: Results.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/SearchResponse'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '414':
          $ref: '#/components/responses/UriTooLong'
  /v1/bulk:
    post:
      tags:
      - bulk
      operationId: bulk
      summary: Synchronisation of existing CRM records, one NDJSON operation per line (admin).
      description: 'Each line is `{"op":"upsert","type":KIND,"id":ID,"record":{...}}` or

        `{"op":"delete","type":KIND,"id":ID}`. Valid lines are applied, invalid ones reported by

        their 1-based physical line number; all lines invalid is still `200`. When the answer

        is sent the accepted operations are durable; with `wait=true` the answer also waits

        until they are searchable (`202` with the same body past the server''s bulk wait).

        '
      parameters:
      - name: wait
        in: query
        description: Wait for the index to catch up before answering.
        schema:
          type: boolean
          default: false
      requestBody:
        required: true
        content:
          application/x-ndjson:
            schema:
              type: string
              description: NDJSON, at most 64 MiB.
      responses:
        '200':
          description: Applied (durable; searchable too when `wait=true`).
          headers:
            LabSearch-Seq:
              $ref: '#/components/headers/LabSearchSeq'
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/BulkResult'
        '202':
          description: Applied and durable, `wait=true` timed out before the index caught up.
          headers:
            LabSearch-Seq:
              $ref: '#/components/headers/LabSearchSeq'
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/BulkResult'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '413':
          $ref: '#/components/responses/TooLarge'
        '415':
          $ref: '#/components/responses/UnsupportedMediaType'
  /v1/index/status:
    get:
      tags:
      - index
      operationId: indexStatus
      summary: Whether the index has caught up with the store.
      responses:
        '200':
          description: Sequence numbers of the store and of the index.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/IndexStatus'
        '401':
          $ref: '#/components/responses/Unauthorized'
  /v1/index/reindex:
    post:
      tags:
      - index
      operationId: reindex
      summary: Rebuilds the tenant's index from its store (admin); answers when done.
      responses:
        '200':
          description: Rebuilt.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/IndexStatus'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '503':
          $ref: '#/components/responses/ServiceUnavailable'
  /v1/clients:
    post:
      tags:
      - records
      operationId: createClient
      summary: Creates a client company with its main contact.
      description: The body is a client with a `main_contact` object (`first_name`, `last_name`, `email`, `phone_direct`
        required); both are created. The answer is the stored client with its `main_contact`.
      parameters:
      - $ref: '#/components/parameters/Force'
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/CompanyCreate'
      responses:
        '201':
          description: Created and searchable.
          headers:
            Location:
              $ref: '#/components/headers/Location'
            LabSearch-Seq:
              $ref: '#/components/headers/LabSearchSeq'
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/StoredRecord'
        '202':
          description: Created and durable, not yet searchable after the server's bounded wait.
          headers:
            Location:
              $ref: '#/components/headers/Location'
            LabSearch-Seq:
              $ref: '#/components/headers/LabSearchSeq'
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/StoredRecord'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '409':
          $ref: '#/components/responses/Conflict'
        '413':
          $ref: '#/components/responses/TooLarge'
        '415':
          $ref: '#/components/responses/UnsupportedMediaType'
        '422':
          $ref: '#/components/responses/Validation'
  /v1/clients/{id}:
    $ref: '#/components/pathItems/ClientItem'
  /v1/partners:
    post:
      tags:
      - records
      operationId: createPartner
      summary: Creates a partner company with its main contact.
      parameters:
      - $ref: '#/components/parameters/Force'
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/PartnerCreate'
      responses:
        '201':
          description: Created and searchable.
          headers:
            Location:
              $ref: '#/components/headers/Location'
            LabSearch-Seq:
              $ref: '#/components/headers/LabSearchSeq'
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/StoredRecord'
        '202':
          description: Created and durable, not yet searchable after the server's bounded wait.
          headers:
            Location:
              $ref: '#/components/headers/Location'
            LabSearch-Seq:
              $ref: '#/components/headers/LabSearchSeq'
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/StoredRecord'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '409':
          $ref: '#/components/responses/Conflict'
        '413':
          $ref: '#/components/responses/TooLarge'
        '415':
          $ref: '#/components/responses/UnsupportedMediaType'
        '422':
          $ref: '#/components/responses/Validation'
  /v1/partners/{id}:
    $ref: '#/components/pathItems/PartnerItem'
  /v1/client-contacts:
    post:
      tags:
      - records
      operationId: createClientContact
      summary: Creates a client contact, attached by `client_id` or with a `client` object created too.
      parameters:
      - $ref: '#/components/parameters/Force'
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/ClientContactCreate'
      responses:
        '201':
          description: Created and searchable.
          headers:
            Location:
              $ref: '#/components/headers/Location'
            LabSearch-Seq:
              $ref: '#/components/headers/LabSearchSeq'
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/StoredRecord'
        '202':
          description: Created and durable, not yet searchable after the server's bounded wait.
          headers:
            Location:
              $ref: '#/components/headers/Location'
            LabSearch-Seq:
              $ref: '#/components/headers/LabSearchSeq'
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/StoredRecord'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '409':
          $ref: '#/components/responses/Conflict'
        '413':
          $ref: '#/components/responses/TooLarge'
        '415':
          $ref: '#/components/responses/UnsupportedMediaType'
        '422':
          $ref: '#/components/responses/Validation'
  /v1/client-contacts/{id}:
    $ref: '#/components/pathItems/ClientContactItem'
  /v1/partner-contacts:
    post:
      tags:
      - records
      operationId: createPartnerContact
      summary: Creates a partner contact, attached by `partner_id` or with a `partner` object created too.
      parameters:
      - $ref: '#/components/parameters/Force'
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/PartnerContactCreate'
      responses:
        '201':
          description: Created and searchable.
          headers:
            Location:
              $ref: '#/components/headers/Location'
            LabSearch-Seq:
              $ref: '#/components/headers/LabSearchSeq'
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/StoredRecord'
        '202':
          description: Created and durable, not yet searchable after the server's bounded wait.
          headers:
            Location:
              $ref: '#/components/headers/Location'
            LabSearch-Seq:
              $ref: '#/components/headers/LabSearchSeq'
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/StoredRecord'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '409':
          $ref: '#/components/responses/Conflict'
        '413':
          $ref: '#/components/responses/TooLarge'
        '415':
          $ref: '#/components/responses/UnsupportedMediaType'
        '422':
          $ref: '#/components/responses/Validation'
  /v1/partner-contacts/{id}:
    $ref: '#/components/pathItems/PartnerContactItem'
  /v1/events:
    post:
      tags:
      - records
      operationId: createEvent
      summary: Creates an event.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Event'
      responses:
        '201':
          description: Created and searchable.
          headers:
            Location:
              $ref: '#/components/headers/Location'
            LabSearch-Seq:
              $ref: '#/components/headers/LabSearchSeq'
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/StoredRecord'
        '202':
          description: Created and durable, not yet searchable after the server's bounded wait.
          headers:
            Location:
              $ref: '#/components/headers/Location'
            LabSearch-Seq:
              $ref: '#/components/headers/LabSearchSeq'
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/StoredRecord'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '409':
          $ref: '#/components/responses/Conflict'
        '413':
          $ref: '#/components/responses/TooLarge'
        '415':
          $ref: '#/components/responses/UnsupportedMediaType'
        '422':
          $ref: '#/components/responses/Validation'
  /v1/events/{id}:
    $ref: '#/components/pathItems/EventItem'
  /v1/products:
    post:
      tags:
      - records
      operationId: createProduct
      summary: Creates a product.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Product'
      responses:
        '201':
          description: Created and searchable.
          headers:
            Location:
              $ref: '#/components/headers/Location'
            LabSearch-Seq:
              $ref: '#/components/headers/LabSearchSeq'
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/StoredRecord'
        '202':
          description: Created and durable, not yet searchable after the server's bounded wait.
          headers:
            Location:
              $ref: '#/components/headers/Location'
            LabSearch-Seq:
              $ref: '#/components/headers/LabSearchSeq'
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/StoredRecord'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '409':
          $ref: '#/components/responses/Conflict'
        '413':
          $ref: '#/components/responses/TooLarge'
        '415':
          $ref: '#/components/responses/UnsupportedMediaType'
        '422':
          $ref: '#/components/responses/Validation'
  /v1/products/{id}:
    $ref: '#/components/pathItems/ProductItem'
  /v1/duplicates:
    post:
      tags:
      - records
      operationId: duplicates
      summary: Duplicate check before creation.
      description: The records a new (or edited) record probably duplicates, best first, inactive ones included (`active`
        false). Candidates come from the index (SIRET, SIREN, VAT, e-mail, phones, website domain, name words and
        their close spellings, acronyms) and are scored 0–1 with reasons. Only candidates scoring 0.5 or more are
        returned (at most 10); creating a record whose best candidate scores 0.85 or more answers `409 duplicate`
        unless `?force=true`. For contacts, names count within the same company or the same professional e-mail
        domain. A `record.id` never lists that record itself.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required:
              - kind
              properties:
                kind:
                  type: string
                  enum:
                  - client
                  - client_contact
                  - partner
                  - partner_contact
                record:
                  type: object
                  description: A partial record of `kind`, as typed (values are normalized leniently, never refused).
                  additionalProperties: true
      responses:
        '200':
          description: The likely duplicates, best first; empty when nothing is close.
          content:
            application/json:
              schema:
                type: object
                required:
                - candidates
                properties:
                  candidates:
                    type: array
                    items:
                      $ref: '#/components/schemas/DuplicateCandidate'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '413':
          $ref: '#/components/responses/TooLarge'
        '415':
          $ref: '#/components/responses/UnsupportedMediaType'
  /v1/import/template:
    get:
      tags:
      - transfer
      operationId: importTemplate
      summary: The import template (.xlsx, header row with the 31 French column names of the source document).
      parameters:
      - name: kind
        in: query
        required: true
        schema:
          type: string
          enum: [clients, contacts]
      responses:
        '200':
          description: The template, as an attachment.
          content:
            application/vnd.openxmlformats-officedocument.spreadsheetml.sheet:
              schema:
                type: string
                format: binary
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
  /v1/import:
    post:
      tags:
      - transfer
      operationId: import
      summary: Preview or import a client or contact list (.xlsx, .xls or .csv, at most 2 MiB).
      description: "The file comes as the multipart field `file`, or as the raw body. Stateless:\n`mode=commit`\
        \ reads and checks the file again, then writes the accepted rows in one\ntransaction and waits for the\
        \ index. One row is a company and its contact; rows naming\nthe same company (same SIRET, else same\
        \ normalized name) give one company. A row whose\ncompany (clients list) or contact (contacts list:\
        \ same e-mail, else same name in the same\ncompany) already exists is skipped, never overwritten. Rows\
        \ are numbered as in the sheet\n(header = row 1). Each row carries its status (`ok`, `skipped`, `error`),\
        \ its per-field\nerrors (`field` = `client.<name>` or `contact.<name>`, `column` = the file's header),\
        \ the\nlikely duplicates in the base (`duplicates`) and in the file (`in_file_duplicates`).\n"
      parameters:
      - name: kind
        in: query
        required: true
        schema:
          type: string
          enum: [clients, contacts]
      - name: mode
        in: query
        schema:
          type: string
          enum: [preview, commit]
          default: preview
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                file:
                  type: string
                  format: binary
          application/octet-stream:
            schema:
              type: string
              format: binary
      responses:
        '200':
          description: The report (preview) or the import's report (commit; `summary` adds `clients_created`,
            `contacts_created`, `seq`, `indexed`).
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ImportReport'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '413':
          description: The file is over 2 MiB (2,097,152 bytes) (type `file-too-large`, field `file`).
          content:
            application/problem+json:
              schema:
                $ref: '#/components/schemas/Problem'
        '415':
          description: Not an .xlsx, .xls or .csv file (type `unsupported-format`, field `file`).
          content:
            application/problem+json:
              schema:
                $ref: '#/components/schemas/Problem'
        '422':
          description: "A file that cannot be read or imported, nothing imported: `corrupt-file` (truncated,\n\
            damaged), `zip-bomb`, `forbidden-xml` (DOCTYPE / entities), `encrypted-file`, `empty-file`,\n`too-many-cells`,\
            \ `no-header`, `missing-column`, `no-rows`, `too-many-rows`; field `file`.\n"
          content:
            application/problem+json:
              schema:
                $ref: '#/components/schemas/Problem'
  /v1/export:
    post:
      tags:
      - transfer
      operationId: export
      summary: Export the client or contact list (xlsx, or csv with `;` in UTF-8 or UTF-8-BOM); an admin's password is required.
      description: "`email` and `password` name a user of the key's tenant who must be an admin. A wrong\npassword\
        \ (or an unknown e-mail) answers `403` after a delay; repeated failures `429` with\n`Retry-After`. Columns:\
        \ the import template's, with the same headers and value formats\n(OUI/NON, dates dd/mm/yyyy), then the\
        \ list's derived columns, which the importer ignores.\n"
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [kind, format, email, password]
              additionalProperties: false
              properties:
                kind:
                  type: string
                  enum: [clients, contacts]
                format:
                  type: string
                  enum: [xlsx, csv]
                encoding:
                  type: string
                  enum: [utf-8, utf-8-bom]
                  default: utf-8
                email:
                  type: string
                password:
                  type: string
                  format: password
                query:
                  description: A list view to export exactly (the list query of POST /v1/lists/{list}, without
                    `group_by`, `limit` and `cursor`); the template's columns come first, then the view's other columns.
                  $ref: '#/components/schemas/ListQuery'
      responses:
        '200':
          description: The file, as an attachment (`Content-Disposition`), streamed as it is written
            (chunked, no `Content-Length`). An error before the first bytes is a problem answer; one
            after them ends the response early (an incomplete body).
          content:
            application/vnd.openxmlformats-officedocument.spreadsheetml.sheet:
              schema:
                type: string
                format: binary
            text/csv:
              schema:
                type: string
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '422':
          $ref: '#/components/responses/Validation'
        '429':
          description: Too many failed passwords (type `too-many-attempts`); `Retry-After` gives the seconds to wait.
          headers:
            Retry-After:
              schema:
                type: integer
          content:
            application/problem+json:
              schema:
                $ref: '#/components/schemas/Problem'
  /v1/lists/{list}:
    post:
      tags:
      - lists
      operationId: listQuery
      summary: The client and contact lists (and the partners', events', products'), searched, filtered, sorted, grouped and paged.
      description: "`q` searches within the list with the search bar's analysis (accents, prefixes, typos,\nphones,\
        \ SIRET, VAT, e-mails); without `sort` the rows come best match first (without `q`:\nthe list's default\
        \ order). Filters combine with AND; on text they ignore case, accents, spaces\nand punctuation; on `language`\
        \ they match any one of its languages. Sorts use the French\ncollation (accents and case ignored, œ as oe),\
        \ then the record id. `total` is exact.\nWith `group_by`, `groups` holds every group's key and exact count\
        \ in key order (null: empty),\neach with its first `limit` rows (the first 100 groups; the others come\
        \ with `rows: []` and\na `next_cursor`); a group's `next_cursor` sent back as `cursor` returns that group's\
        \ next\nrows in `rows`. A cursor belongs to its query (same q, filters, sort, group_by): another\nquery's\
        \ cursor is a `400` naming `cursor`. Pages sorted by columns resume after the last row's\nkeys, so a write\
        \ between two pages neither repeats nor skips a row; pages in relevance order\nresume at an offset. Inactive\
        \ records are excluded unless `include_inactive`; a filter on\n`active` replaces it. Columns: GET /v1/lists/{list}/columns.\n"
      parameters:
      - $ref: '#/components/parameters/ListName'
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/ListQuery'
      responses:
        '200':
          description: The page (or the groups).
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ListPage'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '413':
          $ref: '#/components/responses/TooLarge'
        '415':
          $ref: '#/components/responses/UnsupportedMediaType'
  /v1/lists/{list}/columns:
    get:
      tags:
      - lists
      operationId: listColumns
      summary: The columns of a list, with their French labels, types and the filter operators they allow.
      parameters:
      - $ref: '#/components/parameters/ListName'
      responses:
        '200':
          description: The list's columns.
          content:
            application/json:
              schema:
                type: object
                required: [list, label, columns, default_sort]
                properties:
                  list:
                    type: string
                  label:
                    type: string
                  default_sort:
                    type: array
                    items:
                      $ref: '#/components/schemas/ListSort'
                  custom_fields:
                    type: string
                  columns:
                    type: array
                    items:
                      type: object
                      required: [name, label, type, ops, derived, indexed]
                      properties:
                        name:
                          type: string
                        label:
                          type: string
                        type:
                          type: string
                          enum: [text, select, number, date, bool]
                        ops:
                          type: array
                          items:
                            type: string
                            enum: [eq, in, contains, starts_with, between, empty, not_empty]
                        derived:
                          type: boolean
                        indexed:
                          type: boolean
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
  /v1/demo-key:
    get:
      tags:
      - service
      operationId: demoKey
      summary: The demo tenant's key, for the search page (demo mode on a loopback-bound server only; else 404).
      security: []
      responses:
        '200':
          description: The key.
          content:
            application/json:
              schema:
                type: object
                required:
                - key
                properties:
                  key:
                    type: string
        '404':
          $ref: '#/components/responses/NotFound'
  /healthz:
    get:
      tags:
      - service
      operationId: healthz
      summary: Liveness; never waits on search work.
      security: []
      responses:
        '200':
          description: Up.
          content:
            application/json:
              schema:
                type: object
                properties:
                  status:
                    type: string
                    const: ok
  /metrics:
    get:
      tags:
      - service
      operationId: metrics
      summary: Prometheus text format.
      description: '`labsearch_http_requests_total{method,route,status}`,

        `labsearch_http_request_duration_seconds{method,route}` (histogram), by route pattern

        (never by raw path or tenant); gauges `labsearch_index_lag_changes`,

        `labsearch_index_lag_max_changes`, `labsearch_index_documents`,

        `labsearch_tenants_open`, `labsearch_http_requests_in_flight`,

        `labsearch_blocking_pool_threads`, `labsearch_blocking_pool_busy`,

        `labsearch_blocking_pool_queue_depth`.

        '
      security: []
      responses:
        '200':
          description: Metrics.
          content:
            text/plain:
              schema:
                type: string
  /openapi.yaml:
    get:
      tags:
      - service
      operationId: openapi
      summary: This document.
      security: []
      responses:
        '200':
          description: OpenAPI 3.1 document.
          content:
            application/yaml:
              schema:
                type: string
  /:
    get:
      tags:
      - service
      operationId: page
      summary: The search page (HTML; its files `app.js` and `style.css` are served beside it).
      security: []
      responses:
        '200':
          description: The page.
          content:
            text/html:
              schema:
                type: string
components:
  securitySchemes:
    bearerAuth:
      type: http
      scheme: bearer
      description: An API key (`lsk_` + 64 hex digits) of one tenant, role `user` or `admin`.
  headers:
    LabSearchSeq:
      description: Sequence number of the change in the tenant's change log.
      schema:
        type: integer
        format: int64
    Location:
      description: Path of the created record (`/v1/clients/cl_1`).
      schema:
        type: string
  parameters:
    Id:
      name: id
      in: path
      required: true
      description: The record id, `[A-Za-z0-9_.:-]{1,128}`.
      schema:
        type: string
        pattern: ^[A-Za-z0-9_.:-]{1,128}$
    Force:
      name: force
      in: query
      description: Create even if a likely duplicate exists (without it, a client, partner or contact whose best duplicate
        candidate scores 0.85 or more answers `409 duplicate` with the candidates).
      schema:
        type: boolean
        default: false
    ListName:
      name: list
      in: path
      required: true
      schema:
        type: string
        enum: [clients, contacts, partners, partner-contacts, events, products]
  pathItems:
    ClientItem:
      parameters:
      - $ref: '#/components/parameters/Id'
      get:
        tags:
        - records
        operationId: getClient
        summary: A client.
        responses:
          '200':
            description: The stored (normalized) record.
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '401':
            $ref: '#/components/responses/Unauthorized'
          '404':
            $ref: '#/components/responses/NotFound'
      put:
        tags:
        - records
        operationId: replaceClient
        summary: Replaces a client.
        requestBody:
          required: true
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Company'
        responses:
          '200':
            description: Updated and searchable; the stored record.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '202':
            description: Updated and durable, not yet searchable after the bounded wait.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '400':
            $ref: '#/components/responses/BadRequest'
          '401':
            $ref: '#/components/responses/Unauthorized'
          '404':
            $ref: '#/components/responses/NotFound'
          '409':
            $ref: '#/components/responses/Conflict'
          '413':
            $ref: '#/components/responses/TooLarge'
          '415':
            $ref: '#/components/responses/UnsupportedMediaType'
          '422':
            $ref: '#/components/responses/Validation'
      patch:
        tags:
        - records
        operationId: patchClient
        summary: JSON Merge Patch of a client (null clears a field).
        requestBody:
          required: true
          content:
            application/merge-patch+json:
              schema:
                type: object
            application/json:
              schema:
                type: object
        responses:
          '200':
            description: Updated and searchable; the stored record.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '202':
            description: Updated and durable, not yet searchable after the bounded wait.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '400':
            $ref: '#/components/responses/BadRequest'
          '401':
            $ref: '#/components/responses/Unauthorized'
          '404':
            $ref: '#/components/responses/NotFound'
          '409':
            $ref: '#/components/responses/Conflict'
          '413':
            $ref: '#/components/responses/TooLarge'
          '415':
            $ref: '#/components/responses/UnsupportedMediaType'
          '422':
            $ref: '#/components/responses/Validation'
      delete:
        tags:
        - records
        operationId: deleteClient
        summary: Deletes a client (409 while it has contacts or events).
        responses:
          '204':
            description: Deleted from the store and the index.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
          '202':
            description: Deleted from the store, not yet from the index after the bounded wait.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
          '401':
            $ref: '#/components/responses/Unauthorized'
          '404':
            $ref: '#/components/responses/NotFound'
          '409':
            $ref: '#/components/responses/Conflict'
    PartnerItem:
      parameters:
      - $ref: '#/components/parameters/Id'
      get:
        tags:
        - records
        operationId: getPartner
        summary: A partner.
        responses:
          '200':
            description: The stored (normalized) record.
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '401':
            $ref: '#/components/responses/Unauthorized'
          '404':
            $ref: '#/components/responses/NotFound'
      put:
        tags:
        - records
        operationId: replacePartner
        summary: Replaces a partner.
        requestBody:
          required: true
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Partner'
        responses:
          '200':
            description: Updated and searchable; the stored record.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '202':
            description: Updated and durable, not yet searchable after the bounded wait.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '400':
            $ref: '#/components/responses/BadRequest'
          '401':
            $ref: '#/components/responses/Unauthorized'
          '404':
            $ref: '#/components/responses/NotFound'
          '409':
            $ref: '#/components/responses/Conflict'
          '413':
            $ref: '#/components/responses/TooLarge'
          '415':
            $ref: '#/components/responses/UnsupportedMediaType'
          '422':
            $ref: '#/components/responses/Validation'
      patch:
        tags:
        - records
        operationId: patchPartner
        summary: JSON Merge Patch of a partner.
        requestBody:
          required: true
          content:
            application/merge-patch+json:
              schema:
                type: object
            application/json:
              schema:
                type: object
        responses:
          '200':
            description: Updated and searchable; the stored record.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '202':
            description: Updated and durable, not yet searchable after the bounded wait.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '400':
            $ref: '#/components/responses/BadRequest'
          '401':
            $ref: '#/components/responses/Unauthorized'
          '404':
            $ref: '#/components/responses/NotFound'
          '409':
            $ref: '#/components/responses/Conflict'
          '413':
            $ref: '#/components/responses/TooLarge'
          '415':
            $ref: '#/components/responses/UnsupportedMediaType'
          '422':
            $ref: '#/components/responses/Validation'
      delete:
        tags:
        - records
        operationId: deletePartner
        summary: Deletes a partner (409 while it has contacts or products).
        responses:
          '204':
            description: Deleted from the store and the index.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
          '202':
            description: Deleted from the store, not yet from the index after the bounded wait.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
          '401':
            $ref: '#/components/responses/Unauthorized'
          '404':
            $ref: '#/components/responses/NotFound'
          '409':
            $ref: '#/components/responses/Conflict'
    ClientContactItem:
      parameters:
      - $ref: '#/components/parameters/Id'
      get:
        tags:
        - records
        operationId: getClientContact
        summary: A client contact.
        responses:
          '200':
            description: The stored (normalized) record.
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '401':
            $ref: '#/components/responses/Unauthorized'
          '404':
            $ref: '#/components/responses/NotFound'
      put:
        tags:
        - records
        operationId: replaceClientContact
        summary: Replaces a client contact.
        requestBody:
          required: true
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ClientContact'
        responses:
          '200':
            description: Updated and searchable; the stored record.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '202':
            description: Updated and durable, not yet searchable after the bounded wait.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '400':
            $ref: '#/components/responses/BadRequest'
          '401':
            $ref: '#/components/responses/Unauthorized'
          '404':
            $ref: '#/components/responses/NotFound'
          '409':
            $ref: '#/components/responses/Conflict'
          '413':
            $ref: '#/components/responses/TooLarge'
          '415':
            $ref: '#/components/responses/UnsupportedMediaType'
          '422':
            $ref: '#/components/responses/Validation'
      patch:
        tags:
        - records
        operationId: patchClientContact
        summary: JSON Merge Patch of a client contact.
        requestBody:
          required: true
          content:
            application/merge-patch+json:
              schema:
                type: object
            application/json:
              schema:
                type: object
        responses:
          '200':
            description: Updated and searchable; the stored record.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '202':
            description: Updated and durable, not yet searchable after the bounded wait.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '400':
            $ref: '#/components/responses/BadRequest'
          '401':
            $ref: '#/components/responses/Unauthorized'
          '404':
            $ref: '#/components/responses/NotFound'
          '409':
            $ref: '#/components/responses/Conflict'
          '413':
            $ref: '#/components/responses/TooLarge'
          '415':
            $ref: '#/components/responses/UnsupportedMediaType'
          '422':
            $ref: '#/components/responses/Validation'
      delete:
        tags:
        - records
        operationId: deleteClientContact
        summary: Deletes a client contact (409 for the main contact of a company).
        responses:
          '204':
            description: Deleted from the store and the index.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
          '202':
            description: Deleted from the store, not yet from the index after the bounded wait.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
          '401':
            $ref: '#/components/responses/Unauthorized'
          '404':
            $ref: '#/components/responses/NotFound'
          '409':
            $ref: '#/components/responses/Conflict'
    PartnerContactItem:
      parameters:
      - $ref: '#/components/parameters/Id'
      get:
        tags:
        - records
        operationId: getPartnerContact
        summary: A partner contact.
        responses:
          '200':
            description: The stored (normalized) record.
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '401':
            $ref: '#/components/responses/Unauthorized'
          '404':
            $ref: '#/components/responses/NotFound'
      put:
        tags:
        - records
        operationId: replacePartnerContact
        summary: Replaces a partner contact.
        requestBody:
          required: true
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/PartnerContact'
        responses:
          '200':
            description: Updated and searchable; the stored record.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '202':
            description: Updated and durable, not yet searchable after the bounded wait.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '400':
            $ref: '#/components/responses/BadRequest'
          '401':
            $ref: '#/components/responses/Unauthorized'
          '404':
            $ref: '#/components/responses/NotFound'
          '409':
            $ref: '#/components/responses/Conflict'
          '413':
            $ref: '#/components/responses/TooLarge'
          '415':
            $ref: '#/components/responses/UnsupportedMediaType'
          '422':
            $ref: '#/components/responses/Validation'
      patch:
        tags:
        - records
        operationId: patchPartnerContact
        summary: JSON Merge Patch of a partner contact.
        requestBody:
          required: true
          content:
            application/merge-patch+json:
              schema:
                type: object
            application/json:
              schema:
                type: object
        responses:
          '200':
            description: Updated and searchable; the stored record.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '202':
            description: Updated and durable, not yet searchable after the bounded wait.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '400':
            $ref: '#/components/responses/BadRequest'
          '401':
            $ref: '#/components/responses/Unauthorized'
          '404':
            $ref: '#/components/responses/NotFound'
          '409':
            $ref: '#/components/responses/Conflict'
          '413':
            $ref: '#/components/responses/TooLarge'
          '415':
            $ref: '#/components/responses/UnsupportedMediaType'
          '422':
            $ref: '#/components/responses/Validation'
      delete:
        tags:
        - records
        operationId: deletePartnerContact
        summary: Deletes a partner contact (409 for the main contact of a company).
        responses:
          '204':
            description: Deleted from the store and the index.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
          '202':
            description: Deleted from the store, not yet from the index after the bounded wait.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
          '401':
            $ref: '#/components/responses/Unauthorized'
          '404':
            $ref: '#/components/responses/NotFound'
          '409':
            $ref: '#/components/responses/Conflict'
    EventItem:
      parameters:
      - $ref: '#/components/parameters/Id'
      get:
        tags:
        - records
        operationId: getEvent
        summary: An event.
        responses:
          '200':
            description: The stored (normalized) record.
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '401':
            $ref: '#/components/responses/Unauthorized'
          '404':
            $ref: '#/components/responses/NotFound'
      put:
        tags:
        - records
        operationId: replaceEvent
        summary: Replaces an event.
        requestBody:
          required: true
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Event'
        responses:
          '200':
            description: Updated and searchable; the stored record.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '202':
            description: Updated and durable, not yet searchable after the bounded wait.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '400':
            $ref: '#/components/responses/BadRequest'
          '401':
            $ref: '#/components/responses/Unauthorized'
          '404':
            $ref: '#/components/responses/NotFound'
          '409':
            $ref: '#/components/responses/Conflict'
          '413':
            $ref: '#/components/responses/TooLarge'
          '415':
            $ref: '#/components/responses/UnsupportedMediaType'
          '422':
            $ref: '#/components/responses/Validation'
      patch:
        tags:
        - records
        operationId: patchEvent
        summary: JSON Merge Patch of an event.
        requestBody:
          required: true
          content:
            application/merge-patch+json:
              schema:
                type: object
            application/json:
              schema:
                type: object
        responses:
          '200':
            description: Updated and searchable; the stored record.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '202':
            description: Updated and durable, not yet searchable after the bounded wait.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '400':
            $ref: '#/components/responses/BadRequest'
          '401':
            $ref: '#/components/responses/Unauthorized'
          '404':
            $ref: '#/components/responses/NotFound'
          '409':
            $ref: '#/components/responses/Conflict'
          '413':
            $ref: '#/components/responses/TooLarge'
          '415':
            $ref: '#/components/responses/UnsupportedMediaType'
          '422':
            $ref: '#/components/responses/Validation'
      delete:
        tags:
        - records
        operationId: deleteEvent
        summary: Deletes an event.
        responses:
          '204':
            description: Deleted from the store and the index.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
          '202':
            description: Deleted from the store, not yet from the index after the bounded wait.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
          '401':
            $ref: '#/components/responses/Unauthorized'
          '404':
            $ref: '#/components/responses/NotFound'
          '409':
            $ref: '#/components/responses/Conflict'
    ProductItem:
      parameters:
      - $ref: '#/components/parameters/Id'
      get:
        tags:
        - records
        operationId: getProduct
        summary: A product.
        responses:
          '200':
            description: The stored (normalized) record.
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '401':
            $ref: '#/components/responses/Unauthorized'
          '404':
            $ref: '#/components/responses/NotFound'
      put:
        tags:
        - records
        operationId: replaceProduct
        summary: Replaces a product.
        requestBody:
          required: true
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Product'
        responses:
          '200':
            description: Updated and searchable; the stored record.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '202':
            description: Updated and durable, not yet searchable after the bounded wait.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '400':
            $ref: '#/components/responses/BadRequest'
          '401':
            $ref: '#/components/responses/Unauthorized'
          '404':
            $ref: '#/components/responses/NotFound'
          '409':
            $ref: '#/components/responses/Conflict'
          '413':
            $ref: '#/components/responses/TooLarge'
          '415':
            $ref: '#/components/responses/UnsupportedMediaType'
          '422':
            $ref: '#/components/responses/Validation'
      patch:
        tags:
        - records
        operationId: patchProduct
        summary: JSON Merge Patch of a product.
        requestBody:
          required: true
          content:
            application/merge-patch+json:
              schema:
                type: object
            application/json:
              schema:
                type: object
        responses:
          '200':
            description: Updated and searchable; the stored record.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '202':
            description: Updated and durable, not yet searchable after the bounded wait.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StoredRecord'
          '400':
            $ref: '#/components/responses/BadRequest'
          '401':
            $ref: '#/components/responses/Unauthorized'
          '404':
            $ref: '#/components/responses/NotFound'
          '409':
            $ref: '#/components/responses/Conflict'
          '413':
            $ref: '#/components/responses/TooLarge'
          '415':
            $ref: '#/components/responses/UnsupportedMediaType'
          '422':
            $ref: '#/components/responses/Validation'
      delete:
        tags:
        - records
        operationId: deleteProduct
        summary: Deletes a product.
        responses:
          '204':
            description: Deleted from the store and the index.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
          '202':
            description: Deleted from the store, not yet from the index after the bounded wait.
            headers:
              LabSearch-Seq:
                $ref: '#/components/headers/LabSearchSeq'
          '401':
            $ref: '#/components/responses/Unauthorized'
          '404':
            $ref: '#/components/responses/NotFound'
          '409':
            $ref: '#/components/responses/Conflict'
  responses:
    BadRequest:
      description: Malformed request (`invalid-body` naming `body`, or `invalid-parameter` naming the parameter).
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    Unauthorized:
      description: Missing, unknown or revoked key.
      headers:
        WWW-Authenticate:
          schema:
            type: string
          description: Bearer realm="labsearch"
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    Forbidden:
      description: The key's role may not do this, or the request's origin is not allowed.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    NotFound:
      description: No such record in this tenant, or no such route.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    Conflict:
      description: '`id-exists`, `conflict` or `duplicate` (a likely duplicate: the problem then has a `candidates` member,
        as `POST /v1/duplicates` answers; retry with `?force=true` to create anyway).'
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    TooLarge:
      description: Body over the limit.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    UriTooLong:
      description: Request target over the limit.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    UnsupportedMediaType:
      description: Wrong Content-Type.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    Validation:
      description: Field errors (`validation`), one entry per field, dotted paths.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    ServiceUnavailable:
      description: Another process holds the tenant's index.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
  schemas:
    ListSort:
      type: object
      required: [column]
      additionalProperties: false
      properties:
        column:
          type: string
        dir:
          type: string
          enum: [asc, desc]
          default: asc
    ListFilter:
      type: object
      required: [column, op]
      additionalProperties: false
      properties:
        column:
          type: string
          description: A column name (GET /v1/lists/{list}/columns), or `custom.<name>`.
        op:
          type: string
          enum: [eq, in, contains, starts_with, between, empty, not_empty]
        values:
          type: array
          description: One value (`in`, several); strings for text, numbers, booleans, YYYY-MM-DD dates.
          items:
            type: [string, number, boolean]
        from:
          type: [string, number]
        to:
          type: [string, number]
    ListQuery:
      type: object
      additionalProperties: false
      properties:
        q:
          type: [string, 'null']
          maxLength: 512
        include_inactive:
          type: boolean
          default: false
        filters:
          type: array
          items:
            $ref: '#/components/schemas/ListFilter'
        sort:
          type: array
          items:
            $ref: '#/components/schemas/ListSort'
        group_by:
          type: [string, 'null']
        columns:
          type: array
          items:
            type: string
        limit:
          type: integer
          minimum: 0
          maximum: 500
          default: 50
        cursor:
          type: [string, 'null']
    ListRow:
      type: object
      required: [id, values]
      properties:
        id:
          type: string
        values:
          type: object
          additionalProperties: true
    ListPage:
      type: object
      required: [total, rows, next_cursor]
      properties:
        total:
          type: integer
        took_ms:
          type: number
        next_cursor:
          type: [string, 'null']
        rows:
          type: array
          items:
            $ref: '#/components/schemas/ListRow'
        groups:
          type: array
          items:
            type: object
            required: [key, count, rows, next_cursor]
            properties:
              key: {}
              count:
                type: integer
              next_cursor:
                type: [string, 'null']
              rows:
                type: array
                items:
                  $ref: '#/components/schemas/ListRow'
    DuplicateCandidate:
      type: object
      required:
      - id
      - kind
      - score
      - active
      - reasons
      properties:
        id:
          type: string
        kind:
          type: string
          enum:
          - client
          - client_contact
          - partner
          - partner_contact
        score:
          type: number
          minimum: 0
          maximum: 1
        active:
          type: boolean
        reasons:
          type: array
          description: Strongest evidence first.
          items:
            type: string
            enum:
            - siret
            - siren
            - vat
            - email
            - phone
            - website_domain
            - name
            - name_similar
            - acronym
            - name_swapped
            - initial
    ImportReport:
      type: object
      required: [kind, mode, format, header_row, columns, ignored_columns, summary, rows]
      properties:
        kind:
          type: string
          enum: [clients, contacts]
        mode:
          type: string
          enum: [preview, commit]
        format:
          type: string
          enum: [xlsx, xls, csv]
        header_row:
          type: integer
        columns:
          type: array
          items:
            type: object
            properties:
              column:
                type: string
              header:
                type: string
              field:
                type: string
        ignored_columns:
          type: array
          items:
            type: object
            properties:
              column:
                type: string
              header:
                type: string
        summary:
          type: object
          additionalProperties:
            type: [integer, boolean]
        rows:
          type: array
          items:
            type: object
            required: [row, status, errors, duplicates, in_file_duplicates]
            properties:
              row:
                type: integer
              status:
                type: string
                enum: [ok, skipped, error]
              message:
                type: string
              client:
                $ref: '#/components/schemas/ImportRecordPlan'
              contact:
                $ref: '#/components/schemas/ImportRecordPlan'
              errors:
                type: array
                items:
                  type: object
                  properties:
                    field:
                      type: string
                    column:
                      type: string
                    message:
                      type: string
              duplicates:
                type: array
                items:
                  $ref: '#/components/schemas/DuplicateCandidate'
              in_file_duplicates:
                type: array
                items:
                  type: object
                  properties:
                    row:
                      type: integer
                    kind:
                      type: string
                    reasons:
                      type: array
                      items:
                        type: string
    ImportRecordPlan:
      type: object
      required: [action, record]
      properties:
        action:
          type: string
          enum: [create, existing, in_file]
        id:
          type: string
          description: The existing record, the record created by the commit, or (in_file) the earlier row's.
        first_row:
          type: integer
        record:
          type: object
    Problem:
      type: object
      required:
      - type
      - title
      - status
      - detail
      - errors
      properties:
        type:
          type: string
          description: Stable English slug.
          examples:
          - validation
          - id-exists
          - not-found
        title:
          type: string
          description: French.
        status:
          type: integer
        detail:
          type: string
          description: French.
        errors:
          type: array
          items:
            type: object
            required:
            - field
            - message
            properties:
              field:
                type: string
                description: Dotted path or parameter name.
              message:
                type: string
                description: French.
        candidates:
          type: array
          description: With `duplicate` only, the likely duplicates (as `POST /v1/duplicates` answers).
          items:
            $ref: '#/components/schemas/DuplicateCandidate'
    SearchResponse:
      type: object
      required:
      - query
      - took_ms
      - corrected_query
      - tabs
      - suggestions
      properties:
        query:
          type: string
        took_ms:
          type: number
        corrected_query:
          type:
          - string
          - 'null'
        tabs:
          type: array
          minItems: 4
          maxItems: 4
          items:
            $ref: '#/components/schemas/Tab'
        suggestions:
          type: array
          items:
            type: object
            required:
            - action
            - label
            - prefill
            properties:
              action:
                type: string
                enum:
                - create_client
                - create_contact
              label:
                type: string
              prefill:
                type: object
                additionalProperties:
                  type: string
    Tab:
      type: object
      required:
      - tab
      - label
      - total
      - groups
      properties:
        tab:
          type: string
          enum:
          - clients
          - partners
          - events
          - products
        label:
          type: string
          enum:
          - Clients
          - Partenaires
          - Événements
          - Produits
        total:
          type: integer
        groups:
          type: array
          items:
            type: object
            required:
            - kind
            - label
            - total
            - hits
            properties:
              kind:
                $ref: '#/components/schemas/Kind'
              label:
                type: string
                enum:
                - Client-Sociétés
                - Client-Contacts
                - Partenaire-Sociétés
                - Partenaire-Contacts
                - Événements
                - Produits
              total:
                type: integer
              hits:
                type: array
                items:
                  $ref: '#/components/schemas/Hit'
    Hit:
      type: object
      required:
      - id
      - kind
      - title
      - subtitle
      - score
      - active
      - highlights
      properties:
        id:
          type: string
        kind:
          $ref: '#/components/schemas/Kind'
        title:
          type: string
          description: Plain text.
        subtitle:
          type: string
          description: Plain text.
        score:
          type: number
        active:
          type: boolean
        highlights:
          type: object
          description: Field → HTML-escaped text with only `<mark>` tags added.
          additionalProperties:
            type: string
    Kind:
      type: string
      enum:
      - client
      - client_contact
      - partner
      - partner_contact
      - event
      - product
    BulkResult:
      type: object
      required:
      - upserted
      - deleted
      - errors
      properties:
        upserted:
          type: integer
        deleted:
          type: integer
        errors:
          type: array
          items:
            type: object
            required:
            - line
            - error
            properties:
              line:
                type: integer
                description: 1-based physical line.
              field:
                type: string
              error:
                type: string
                description: French.
    IndexStatus:
      type: object
      required:
      - store_seq
      - index_seq
      properties:
        store_seq:
          type: integer
          format: int64
        index_seq:
          type: integer
          format: int64
        documents:
          type: integer
    StoredRecord:
      type: object
      description: A record as stored (normalized), with its `id`; after a creation, a company carries its `main_contact`
        and a contact created with its company carries `client` / `partner`.
      required:
      - id
      properties:
        id:
          type: string
      additionalProperties: true
    CustomFields:
      type: object
      additionalProperties:
        type:
        - string
        - number
        - boolean
        - 'null'
    BillingAddress:
      type: object
      additionalProperties: false
      properties:
        address1:
          type: string
        address2:
          type: string
        postal_code:
          type: string
        city:
          type: string
        country:
          type: string
          description: ISO 3166 alpha-2.
        is_default:
          type: boolean
    Company:
      type: object
      additionalProperties: false
      required:
      - name
      properties:
        id:
          type: string
        name:
          type: string
        website:
          type: string
        type:
          type: string
        address1:
          type: string
        address2:
          type: string
        postal_code:
          type: string
        city:
          type: string
        country:
          type: string
          default: FR
        parent_id:
          type: string
        vat_number:
          type: string
        accounting_account:
          type: string
        siret:
          type: string
        ape_code:
          type: string
        language:
          type: string
        active:
          type: boolean
          default: true
        created_at:
          type: string
          format: date-time
        billing_addresses:
          type: array
          items:
            $ref: '#/components/schemas/BillingAddress'
        custom_fields:
          $ref: '#/components/schemas/CustomFields'
    Partner:
      allOf:
      - $ref: '#/components/schemas/Company'
      - type: object
        properties:
          category:
            type: string
    CompanyCreate:
      allOf:
      - $ref: '#/components/schemas/Company'
      - type: object
        required:
        - main_contact
        properties:
          main_contact:
            $ref: '#/components/schemas/MainContact'
    PartnerCreate:
      allOf:
      - $ref: '#/components/schemas/Partner'
      - type: object
        required:
        - main_contact
        properties:
          main_contact:
            $ref: '#/components/schemas/MainContact'
    MainContact:
      allOf:
      - $ref: '#/components/schemas/ContactFields'
      - type: object
        required:
        - first_name
        - last_name
        - email
        - phone_direct
    ContactFields:
      type: object
      properties:
        id:
          type: string
        civility:
          type: string
          enum:
          - Monsieur
          - Madame
          - Professeur
          - Maître
          - Docteur
          - M.
          - Mme
          - Mr
          - Pr
          - Me
          - Dr
        first_name:
          type: string
        last_name:
          type: string
        email:
          type: string
        position:
          type: string
        phone_direct:
          type: string
        phone_mobile:
          type: string
        phone_switchboard:
          type: string
        facebook:
          type: string
        linkedin:
          type: string
        twitter:
          type: string
        instagram:
          type: string
        source:
          type: string
        potential:
          type: string
        situation:
          type: string
        stage:
          type: string
        sales_rep:
          type: string
        opt_in:
          type: boolean
        active:
          type: boolean
          default: true
        is_primary:
          type: boolean
        comment:
          type: string
        comment_category:
          type: string
        created_at:
          type: string
          format: date-time
        custom_fields:
          $ref: '#/components/schemas/CustomFields'
    ClientContact:
      allOf:
      - $ref: '#/components/schemas/ContactFields'
      - type: object
        required:
        - client_id
        properties:
          client_id:
            type: string
    PartnerContact:
      allOf:
      - $ref: '#/components/schemas/ContactFields'
      - type: object
        required:
        - partner_id
        properties:
          partner_id:
            type: string
    ClientContactCreate:
      allOf:
      - $ref: '#/components/schemas/MainContact'
      - type: object
        description: Either `client_id` (an existing client) or `client` (a client object created with the contact).
        properties:
          client_id:
            type: string
          client:
            $ref: '#/components/schemas/Company'
    PartnerContactCreate:
      allOf:
      - $ref: '#/components/schemas/MainContact'
      - type: object
        description: Either `partner_id` or `partner` (a partner object created with the contact).
        properties:
          partner_id:
            type: string
          partner:
            $ref: '#/components/schemas/Partner'
    Event:
      type: object
      additionalProperties: false
      required:
      - name
      properties:
        id:
          type: string
        name:
          type: string
        reference:
          type: string
        client_id:
          type: string
        contact_id:
          type: string
        start_date:
          type: string
          format: date
        end_date:
          type: string
          format: date
        venue:
          type: string
        city:
          type: string
        status:
          type: string
        description:
          type: string
        created_at:
          type: string
          format: date-time
    Product:
      type: object
      additionalProperties: false
      required:
      - name
      properties:
        id:
          type: string
        name:
          type: string
        reference:
          type: string
        category:
          type: string
        description:
          type: string
        unit_price:
          type: number
          description: Euros.
        partner_id:
          type: string
        created_at:
          type: string
          format: date-time
"""#
}
