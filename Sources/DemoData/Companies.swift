/// A well-known company: its name, web domain, APE code and subsidiaries.
struct FamousCompany {
    let name: String
    let domain: String
    let ape: String
    let subsidiaries: [String]
}

/// A line of business: the word used in names and its APE code.
struct Activity {
    let word: String
    let ape: String
}

/// A partner category: name templates, APE code and the product category it sells.
struct PartnerCategory {
    let name: String
    let ape: String
    let templates: [String]
}

/// A catalogue item: name and price range in euros.
struct CatalogItem {
    let name: String
    let minEuros: Int
    let maxEuros: Int
}

struct ProductCategory {
    let name: String
    let partnerCategory: String
    let items: [CatalogItem]
}

enum DemoCompanies {
    /// Emitted first, in this order (so small data sets hold them), with their subsidiaries.
    static let famousClients: [FamousCompany] = [
        FamousCompany(name: "EDF", domain: "edf.fr", ape: "3511Z", subsidiaries: ["EDF Renouvelables", "Enedis", "Dalkia"]),
        FamousCompany(name: "SNCF", domain: "sncf.com", ape: "4910Z", subsidiaries: ["SNCF Voyageurs", "SNCF Réseau", "Keolis"]),
        FamousCompany(name: "BNP Paribas", domain: "bnpparibas.com", ape: "6419Z", subsidiaries: ["BNP Paribas Real Estate", "Cetelem"]),
        FamousCompany(name: "Société Générale", domain: "societegenerale.com", ape: "6419Z", subsidiaries: []),
        FamousCompany(name: "L'Oréal", domain: "loreal.fr", ape: "2042Z", subsidiaries: ["L'Oréal Événements SAS"]),
        FamousCompany(name: "Groupe Dupont", domain: "groupe-dupont.fr", ape: "7010Z",
                      subsidiaries: ["Dupont Traiteur Lyon", "Dupont Événements Paris", "Dupont Immobilier Bordeaux"]),
        FamousCompany(name: "Électricité de France", domain: "edf.fr", ape: "3511Z", subsidiaries: []),
        FamousCompany(name: "Boulangerie Saint-Étienne SARL", domain: "boulangerie-saint-etienne.fr", ape: "1071C", subsidiaries: []),
        FamousCompany(name: "Château d'Yquem", domain: "yquem.fr", ape: "1102A", subsidiaries: []),
        FamousCompany(name: "Les Ateliers de l'Œuvre", domain: "ateliers-oeuvre.fr", ape: "9003A", subsidiaries: []),
        FamousCompany(name: "Crédit Agricole", domain: "credit-agricole.fr", ape: "6419Z",
                      subsidiaries: ["Crédit Agricole Île-de-France", "LCL"]),
        FamousCompany(name: "Air France", domain: "airfrance.fr", ape: "5110Z", subsidiaries: []),
        FamousCompany(name: "Renault", domain: "renault.fr", ape: "2910Z", subsidiaries: []),
        FamousCompany(name: "Michelin", domain: "michelin.fr", ape: "2211Z", subsidiaries: []),
        FamousCompany(name: "Danone", domain: "danone.fr", ape: "1051A", subsidiaries: []),
        FamousCompany(name: "Orange", domain: "orange.fr", ape: "6110Z", subsidiaries: ["Orange Business"]),
        FamousCompany(name: "Hermès", domain: "hermes.com", ape: "1512Z", subsidiaries: []),
        FamousCompany(name: "LVMH Moët Hennessy Louis Vuitton", domain: "lvmh.fr", ape: "7010Z",
                      subsidiaries: ["Moët & Chandon", "Louis Vuitton Malletier"]),
        FamousCompany(name: "RATP", domain: "ratp.fr", ape: "4931Z", subsidiaries: []),
        FamousCompany(name: "AXA", domain: "axa.fr", ape: "6512Z", subsidiaries: []),
        FamousCompany(name: "Saint-Gobain", domain: "saint-gobain.com", ape: "2311Z", subsidiaries: []),
        FamousCompany(name: "Capgemini", domain: "capgemini.com", ape: "6202A", subsidiaries: []),
        FamousCompany(name: "Decathlon", domain: "decathlon.fr", ape: "4764Z", subsidiaries: []),
        FamousCompany(name: "Galeries Lafayette", domain: "galerieslafayette.com", ape: "4719A", subsidiaries: []),
        FamousCompany(name: "Ladurée", domain: "laduree.fr", ape: "1071D", subsidiaries: []),
        FamousCompany(name: "Pernod Ricard", domain: "pernod-ricard.com", ape: "1101Z", subsidiaries: []),
        FamousCompany(name: "Dassault Systèmes", domain: "3ds.com", ape: "5829C", subsidiaries: []),
        FamousCompany(name: "Caisse d'Épargne", domain: "caisse-epargne.fr", ape: "6419Z", subsidiaries: []),
        FamousCompany(name: "Bouygues Télécom", domain: "bouyguestelecom.fr", ape: "6120Z", subsidiaries: []),
        FamousCompany(name: "Fédération Française de Rugby", domain: "ffr.fr", ape: "9312Z", subsidiaries: []),
    ]

    static let activities: [Activity] = [
        Activity(word: "Boulangerie", ape: "1071C"), Activity(word: "Pharmacie", ape: "4773Z"),
        Activity(word: "Cabinet", ape: "6920Z"), Activity(word: "Laboratoires", ape: "2120Z"),
        Activity(word: "Transports", ape: "4941A"), Activity(word: "Imprimerie", ape: "1812Z"),
        Activity(word: "Garage", ape: "4520A"), Activity(word: "Assurances", ape: "6512Z"),
        Activity(word: "Immobilier", ape: "6831Z"), Activity(word: "Conseil", ape: "7022Z"),
        Activity(word: "Ingénierie", ape: "7112B"), Activity(word: "Informatique", ape: "6202A"),
        Activity(word: "Communication", ape: "7311Z"), Activity(word: "Événements", ape: "8230Z"),
        Activity(word: "Traiteur", ape: "5621Z"), Activity(word: "Bâtiment", ape: "4120A"),
        Activity(word: "Électricité", ape: "4321A"), Activity(word: "Menuiserie", ape: "4332A"),
        Activity(word: "Distribution", ape: "4690Z"), Activity(word: "Logistique", ape: "5210B"),
        Activity(word: "Vins", ape: "1102A"), Activity(word: "Cosmétiques", ape: "2042Z"),
        Activity(word: "Formation", ape: "8559A"), Activity(word: "Architecture", ape: "7111Z"),
        Activity(word: "Audit", ape: "6920Z"), Activity(word: "Énergie", ape: "3511Z"),
        Activity(word: "Santé", ape: "8622C"), Activity(word: "Hôtellerie", ape: "5510Z"),
        Activity(word: "Restauration", ape: "5610A"), Activity(word: "Mutuelle", ape: "6512Z"),
        Activity(word: "Avocats", ape: "6910Z"), Activity(word: "Expertise comptable", ape: "6920Z"),
        Activity(word: "Industrie", ape: "2599B"), Activity(word: "Textile", ape: "1413Z"),
        Activity(word: "Agroalimentaire", ape: "1089Z"), Activity(word: "Pâtisserie", ape: "1071D"),
        Activity(word: "Chocolaterie", ape: "1082Z"), Activity(word: "Brasserie", ape: "1105Z"),
        Activity(word: "Publicité", ape: "7311Z"), Activity(word: "Télécom", ape: "6190Z"),
    ]

    static let brands: [String] = [
        "Altéa", "Novéa", "Azuréa", "Kalya", "Orféo", "Élysée", "Horizon", "Apogée", "Cèdre", "Séquoia",
        "Opale", "Émeraude", "Lumière", "Zénith", "Atlantique", "Méridien", "Éclat", "Cristal", "Phénix",
        "Arôme", "Odyssée", "Étoile", "Alizé", "Mistral", "Sirocco", "Hélios", "Iris", "Onyx", "Vivéo",
        "Nexéo", "Aléria", "Ambre", "Boréal", "Cap Sud", "Équinoxe", "Aquilon", "Galatée", "Pléiade",
        "Solstice", "Oréade", "Quartz", "Sémaphore", "Tramontane", "Utopia", "Vénus", "Aïda", "Noé",
    ]

    static let legalForms: [String] = ["SAS", "SAS", "SARL", "SARL", "SA", "SASU", "EURL", "SNC", "SCOP"]
    static let pluralNouns: [String] = [
        "Ateliers", "Jardins", "Caves", "Délices", "Compagnons", "Saveurs", "Éditions", "Salons", "Artisans",
        "Vergers", "Chais", "Halles", "Rencontres", "Tables",
    ]
    static let institutions: [String] = [
        "Mairie {N}", "Conseil départemental {P}", "Université {N}", "CCI {N}", "Office de Tourisme {N}",
        "Association des Amis {P}", "Association sportive {N}", "Fédération française de {S}",
        "Lycée {F}-{L}", "Clinique Saint-{F}", "Centre hospitalier {N}", "Comité d'entreprise {B}",
        "Syndicat des vignerons {P}", "Chambre des métiers {P}", "Ordre des avocats {N}",
    ]
    static let sports: [String] = ["tennis", "voile", "golf", "handball", "basket-ball", "cyclisme", "judo", "équitation"]

    /// Client name templates: {L} last name, {A} activity, {B} brand, {P} place phrase ("de Provence"),
    /// {C} city, {X} acronym, {G} legal form, {U} plural noun, {F} first name.
    static let clientTemplates: [(template: String, weight: Int)] = [
        ("{A} {L}", 10), ("{A} {L} {G}", 8), ("{A} {P}", 6), ("{A} {P} {G}", 6), ("{B} {A}", 10),
        ("{B} {A} {G}", 8), ("Les {U} {P}", 6), ("{X}", 3), ("{X} {A}", 5), ("{L} & Fils", 2),
        ("{L} & Associés", 3), ("{L}-{L} {A}", 2), ("Château {P}", 2), ("Domaine {P}", 2), ("Maison {L}", 3),
        ("{L} {A} {C}", 6), ("Société {L}", 2), ("L'{B} {A}", 2), ("{A} {L} {C} {G}", 3), ("{B}", 2),
    ]

    static let clientTemplateWeights: [Int] = clientTemplates.map(\.weight)

    static let clientTypes: [String] = ["Entreprise", "Entreprise", "PME", "TPE", "Grand compte", "Start-up", "Agence"]
    static let languages: [String] = [
        "Français", "Français", "Français", "Français", "Français, Anglais", "Anglais", "Français, Allemand",
    ]
    static let foreignLanguages: [String: [String]] = [
        "BE": ["Français", "Néerlandais", "Français, Néerlandais"], "CH": ["Français", "Allemand", "Français, Allemand"],
        "DE": ["Allemand", "Allemand, Anglais"], "ES": ["Espagnol", "Espagnol, Anglais"],
    ]

    /// Foreign company templates: {L} local last name, {B} brand, {C} city.
    static let foreignTemplates: [String: [String]] = [
        "BE": ["Brasserie {L} SRL", "{B} Events SA", "Traiteur {L} SRL", "{L} & Partners BV", "Chocolaterie {L}"],
        "CH": ["Horlogerie {L} Sàrl", "{B} Genève SA", "{L} Veranstaltungen AG", "Fiduciaire {L} SA"],
        "DE": ["{L} Veranstaltungstechnik GmbH", "{B} Consulting GmbH", "{L} & Söhne KG", "{L} Messebau GmbH"],
        "ES": ["Eventos {L} S.L.", "{B} Ibérica S.A.", "Grupo {L} S.A.", "Bodegas {L} S.L."],
    ]

    static let foreignLegalForms: [String] = ["SRL", "SA", "BV", "Sàrl", "AG", "GmbH", "KG", "S.L.", "S.A."]

    static let famousPartners: [(name: String, category: String, domain: String)] = [
        ("Potel et Chabot", "Traiteur", "potel-et-chabot.com"), ("Lenôtre", "Traiteur", "lenotre.com"),
        ("Salons Hoche", "Lieu", "salons-hoche.fr"), ("Pavillon Ledoyen", "Lieu", "ledoyen.com"),
        ("Châteauform'", "Lieu", "chateauform.com"), ("Novotel Paris Centre Tour Eiffel", "Hôtel", "novotel.com"),
        ("Transdev", "Transport", "transdev.com"), ("Dalloyau", "Traiteur", "dalloyau.fr"),
    ]

    static let partnerCategories: [PartnerCategory] = [
        PartnerCategory(name: "Traiteur", ape: "5621Z", templates: [
            "Traiteur {L}", "{L} Traiteur", "Saveurs {P}", "Les Délices {P}", "Maison {L}", "{B} Réceptions",
            "{L} Traiteur {C}"]),
        PartnerCategory(name: "Lieu", ape: "6820B", templates: [
            "Château {P}", "Domaine {P}", "Manoir {P}", "Abbaye {P}", "Espace {B}", "Pavillon {B}",
            "Palais des Congrès de {C}", "Villa {B}", "Le Loft {C}", "Moulin {P}"]),
        PartnerCategory(name: "Audiovisuel", ape: "7739Z", templates: [
            "{B} Audiovisuel", "{B} Son & Lumière", "Vidéo Scène {C}", "{X} Productions", "Régie {B}"]),
        PartnerCategory(name: "Décoration", ape: "7410Z", templates: [
            "{B} Déco", "Atelier {L} Décoration", "Les Décors {P}", "Scénographie {B}"]),
        PartnerCategory(name: "Transport", ape: "4939B", templates: [
            "Autocars {L}", "Transports {L} & Fils", "Navettes {C}", "{B} Limousines", "Voyages {L}"]),
        PartnerCategory(name: "Hôtel", ape: "5510Z", templates: [
            "Hôtel {B}", "Novotel {C} Centre", "Ibis {C} Gare", "Mercure {C} Centre", "Hôtel {P}",
            "Best Western {C}", "Grand Hôtel {P}"]),
        PartnerCategory(name: "Animation", ape: "9329Z", templates: [
            "{B} Animation", "Compagnie {B}", "DJ {L} Événements", "{L} Magie & Spectacles"]),
        PartnerCategory(name: "Sécurité", ape: "8010Z", templates: ["{B} Sécurité", "{X} Sécurité Privée"]),
        PartnerCategory(name: "Hôtesses", ape: "7830Z", templates: ["{B} Hôtesses", "Accueil {B}", "{B} Staffing"]),
        PartnerCategory(name: "Mobilier", ape: "7729Z", templates: ["{B} Mobilier Événementiel", "Location Mobilier {C}"]),
        PartnerCategory(name: "Impression", ape: "1812Z", templates: ["Imprimerie {L}", "{B} Print", "Signalétique {B}"]),
        PartnerCategory(name: "Fleuriste", ape: "4776Z", templates: ["Fleurs {P}", "L'Atelier Floral {L}", "Au Jardin de {F}"]),
        PartnerCategory(name: "Photographe", ape: "7420Z", templates: ["Studio {L}", "{F} {L} Photographie"]),
    ]
    static let partnerCategoryWeights: [Int] = [20, 20, 12, 8, 8, 12, 6, 3, 4, 3, 2, 3, 3]

    static let productCategories: [ProductCategory] = [
        ProductCategory(name: "Lieu", partnerCategory: "Lieu", items: [
            CatalogItem(name: "Location salle plénière", minEuros: 800, maxEuros: 9000),
            CatalogItem(name: "Location salle de sous-commission", minEuros: 200, maxEuros: 1500),
            CatalogItem(name: "Privatisation du rooftop", minEuros: 2500, maxEuros: 15000),
            CatalogItem(name: "Forfait journée d'étude", minEuros: 45, maxEuros: 140),
            CatalogItem(name: "Privatisation du château", minEuros: 5000, maxEuros: 30000)]),
        ProductCategory(name: "Restauration", partnerCategory: "Traiteur", items: [
            CatalogItem(name: "Cocktail dînatoire", minEuros: 35, maxEuros: 120),
            CatalogItem(name: "Pause-café matin", minEuros: 5, maxEuros: 18),
            CatalogItem(name: "Déjeuner assis trois plats", minEuros: 38, maxEuros: 95),
            CatalogItem(name: "Plateau-repas", minEuros: 18, maxEuros: 45),
            CatalogItem(name: "Dîner de gala", minEuros: 90, maxEuros: 280),
            CatalogItem(name: "Buffet campagnard", minEuros: 25, maxEuros: 60),
            CatalogItem(name: "Open bar (2 h)", minEuros: 15, maxEuros: 50)]),
        ProductCategory(name: "Audiovisuel", partnerCategory: "Audiovisuel", items: [
            CatalogItem(name: "Vidéoprojecteur 4K", minEuros: 150, maxEuros: 900),
            CatalogItem(name: "Écran LED 3 × 2 m", minEuros: 600, maxEuros: 3500),
            CatalogItem(name: "Micro HF main", minEuros: 30, maxEuros: 120),
            CatalogItem(name: "Régie son et lumière", minEuros: 800, maxEuros: 6000),
            CatalogItem(name: "Captation vidéo multicaméra", minEuros: 1200, maxEuros: 8000),
            CatalogItem(name: "Sonorisation salle", minEuros: 300, maxEuros: 2500)]),
        ProductCategory(name: "Décoration", partnerCategory: "Décoration", items: [
            CatalogItem(name: "Nappage blanc", minEuros: 8, maxEuros: 25),
            CatalogItem(name: "Arche de ballons", minEuros: 150, maxEuros: 600),
            CatalogItem(name: "Scénographie sur mesure", minEuros: 2000, maxEuros: 20000)]),
        ProductCategory(name: "Transport", partnerCategory: "Transport", items: [
            CatalogItem(name: "Navette aéroport", minEuros: 90, maxEuros: 450),
            CatalogItem(name: "Autocar 50 places (journée)", minEuros: 600, maxEuros: 1400),
            CatalogItem(name: "Chauffeur VTC (heure)", minEuros: 55, maxEuros: 120)]),
        ProductCategory(name: "Hébergement", partnerCategory: "Hôtel", items: [
            CatalogItem(name: "Chambre single petit-déjeuner", minEuros: 85, maxEuros: 320),
            CatalogItem(name: "Chambre double supérieure", minEuros: 120, maxEuros: 480),
            CatalogItem(name: "Suite junior", minEuros: 250, maxEuros: 900)]),
        ProductCategory(name: "Animation", partnerCategory: "Animation", items: [
            CatalogItem(name: "DJ soirée", minEuros: 600, maxEuros: 2500),
            CatalogItem(name: "Magicien close-up", minEuros: 500, maxEuros: 1800),
            CatalogItem(name: "Photobooth", minEuros: 350, maxEuros: 1200),
            CatalogItem(name: "Animateur team building", minEuros: 400, maxEuros: 2000)]),
        ProductCategory(name: "Personnel", partnerCategory: "Hôtesses", items: [
            CatalogItem(name: "Hôtesse d'accueil (heure)", minEuros: 28, maxEuros: 45),
            CatalogItem(name: "Vestiaire", minEuros: 150, maxEuros: 600)]),
        ProductCategory(name: "Sécurité", partnerCategory: "Sécurité", items: [
            CatalogItem(name: "Agent de sécurité (heure)", minEuros: 25, maxEuros: 42),
            CatalogItem(name: "Maître-chien (nuit)", minEuros: 250, maxEuros: 500)]),
        ProductCategory(name: "Mobilier", partnerCategory: "Mobilier", items: [
            CatalogItem(name: "Mange-debout", minEuros: 12, maxEuros: 40),
            CatalogItem(name: "Salon lounge", minEuros: 150, maxEuros: 700)]),
        ProductCategory(name: "Impression", partnerCategory: "Impression", items: [
            CatalogItem(name: "Kakémono 85 × 200 cm", minEuros: 60, maxEuros: 180),
            CatalogItem(name: "Badges nominatifs", minEuros: 1, maxEuros: 4)]),
        ProductCategory(name: "Fleurs", partnerCategory: "Fleuriste", items: [
            CatalogItem(name: "Composition florale centre de table", minEuros: 35, maxEuros: 150)]),
        ProductCategory(name: "Photo et vidéo", partnerCategory: "Photographe", items: [
            CatalogItem(name: "Reportage photo (demi-journée)", minEuros: 400, maxEuros: 1200)]),
    ]
    static let productCategoryWeights: [Int] = [14, 22, 16, 6, 7, 10, 8, 5, 3, 3, 3, 2, 1]

    static let productVariants: [String] = [
        "", "", "", "", " — formule premium", " (demi-journée)", " (journée)", " — forfait", " — saison estivale",
        " — tarif week-end", " grande capacité",
    ]
    static let productDescriptions: [String] = [
        "Tarif HT par personne.", "Tarif HT à la journée, installation comprise.",
        "Forfait HT, livraison et reprise incluses.", "Prix HT par unité, minimum 20 personnes.",
        "Disponible d'avril à octobre.", "Montage la veille possible sur demande.",
    ]

    /// Event name templates: {S} client short name, {Y} year, {C} city, {B} brand, {D} destination.
    static let eventTemplatesWithClient: [String] = [
        "Séminaire annuel {S} {Y}", "Soirée de gala {S}", "Convention commerciale {S} {Y}",
        "Assemblée générale {S} {Y}", "Arbre de Noël {S} {Y}", "Kick-off {S} {Y}", "Journée clients {S}",
        "Congrès national {S} {Y}", "Soirée d'entreprise {S}", "Petit-déjeuner débat {S}",
        "Séminaire de direction {S}", "Lancement produit {S} — {B}", "Inauguration {S} {C}",
    ]
    static let eventTemplatesGeneric: [String] = [
        "Soirée de gala", "Convention commerciale {Y}", "Cocktail des vœux {Y}", "Team building {C}",
        "Remise des trophées {Y}", "Incentive {D}", "Salon {B} {Y}", "Journée d'étude {Y}", "Festival {B}",
        "Séminaire au vert", "Conférence de presse {B}",
    ]
    static let eventDescriptions: [String] = [
        "{N} participants, plénière le matin et ateliers l'après-midi.",
        "Dîner de gala avec animation musicale et remise de prix.",
        "Hébergement sur place, transferts en autocar depuis la gare.",
        "Budget à confirmer ; prévoir traiteur et régie son.",
        "Cocktail dînatoire pour {N} invités, vestiaire et hôtesses d'accueil.",
        "Deux jours, {N} collaborateurs, activités de cohésion en extérieur.",
    ]
    static let pastStatuses: [String] = ["Terminé", "Terminé", "Terminé", "Terminé", "Terminé", "Terminé",
                                         "Terminé", "Facturé", "Facturé", "Annulé"]
    static let futureStatuses: [String] = ["Demande", "Demande", "Option", "Option", "Option", "En préparation",
                                           "En préparation", "Confirmé", "Confirmé", "Annulé"]
}
