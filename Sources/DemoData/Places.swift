/// A French city with its real postal codes and the regional digit of its landlines (01–05).
struct FrenchCity {
    let name: String
    let postalCodes: [String]
    let phoneDigit: Int
    let weight: Int
}

/// A foreign city: country, postal code, phone country code and area code.
struct ForeignCity {
    let country: String
    let name: String
    let postalCode: String
    let phoneCountryCode: String
    let areaCode: [UInt8]
    let nationalLength: Int
}

enum DemoPlaces {
    static let frenchCities: [FrenchCity] = [
        FrenchCity(name: "Paris", postalCodes: ["75001", "75002", "75003", "75007", "75008", "75009", "75010",
                                                 "75011", "75012", "75013", "75015", "75016", "75017", "75018",
                                                 "75020"], phoneDigit: 1, weight: 60),
        FrenchCity(name: "Marseille", postalCodes: ["13001", "13002", "13006", "13008", "13013"], phoneDigit: 4, weight: 12),
        FrenchCity(name: "Lyon", postalCodes: ["69001", "69002", "69003", "69006", "69007", "69009"], phoneDigit: 4, weight: 14),
        FrenchCity(name: "Toulouse", postalCodes: ["31000", "31100", "31200", "31400"], phoneDigit: 5, weight: 9),
        FrenchCity(name: "Nice", postalCodes: ["06000", "06100", "06200", "06300"], phoneDigit: 4, weight: 7),
        FrenchCity(name: "Nantes", postalCodes: ["44000", "44100", "44200", "44300"], phoneDigit: 2, weight: 7),
        FrenchCity(name: "Montpellier", postalCodes: ["34000", "34070", "34080"], phoneDigit: 4, weight: 6),
        FrenchCity(name: "Strasbourg", postalCodes: ["67000", "67100", "67200"], phoneDigit: 3, weight: 6),
        FrenchCity(name: "Bordeaux", postalCodes: ["33000", "33100", "33200", "33300", "33800"], phoneDigit: 5, weight: 8),
        FrenchCity(name: "Lille", postalCodes: ["59000", "59160", "59260", "59800"], phoneDigit: 3, weight: 7),
        FrenchCity(name: "Rennes", postalCodes: ["35000", "35200", "35700"], phoneDigit: 2, weight: 5),
        FrenchCity(name: "Reims", postalCodes: ["51100"], phoneDigit: 3, weight: 3),
        FrenchCity(name: "Saint-Étienne", postalCodes: ["42000", "42100"], phoneDigit: 4, weight: 4),
        FrenchCity(name: "Le Havre", postalCodes: ["76600", "76610", "76620"], phoneDigit: 2, weight: 3),
        FrenchCity(name: "Toulon", postalCodes: ["83000", "83100", "83200"], phoneDigit: 4, weight: 3),
        FrenchCity(name: "Grenoble", postalCodes: ["38000", "38100"], phoneDigit: 4, weight: 4),
        FrenchCity(name: "Dijon", postalCodes: ["21000"], phoneDigit: 3, weight: 3),
        FrenchCity(name: "Angers", postalCodes: ["49000", "49100"], phoneDigit: 2, weight: 3),
        FrenchCity(name: "Nîmes", postalCodes: ["30000", "30900"], phoneDigit: 4, weight: 3),
        FrenchCity(name: "Villeurbanne", postalCodes: ["69100"], phoneDigit: 4, weight: 3),
        FrenchCity(name: "Clermont-Ferrand", postalCodes: ["63000", "63100"], phoneDigit: 4, weight: 3),
        FrenchCity(name: "Le Mans", postalCodes: ["72000", "72100"], phoneDigit: 2, weight: 2),
        FrenchCity(name: "Aix-en-Provence", postalCodes: ["13090", "13100", "13290"], phoneDigit: 4, weight: 4),
        FrenchCity(name: "Brest", postalCodes: ["29200"], phoneDigit: 2, weight: 2),
        FrenchCity(name: "Tours", postalCodes: ["37000", "37100", "37200"], phoneDigit: 2, weight: 3),
        FrenchCity(name: "Amiens", postalCodes: ["80000", "80080", "80090"], phoneDigit: 3, weight: 2),
        FrenchCity(name: "Limoges", postalCodes: ["87000", "87100"], phoneDigit: 5, weight: 2),
        FrenchCity(name: "Annecy", postalCodes: ["74000", "74960"], phoneDigit: 4, weight: 3),
        FrenchCity(name: "Perpignan", postalCodes: ["66000", "66100"], phoneDigit: 4, weight: 2),
        FrenchCity(name: "Boulogne-Billancourt", postalCodes: ["92100"], phoneDigit: 1, weight: 5),
        FrenchCity(name: "Metz", postalCodes: ["57000", "57050", "57070"], phoneDigit: 3, weight: 2),
        FrenchCity(name: "Besançon", postalCodes: ["25000"], phoneDigit: 3, weight: 2),
        FrenchCity(name: "Orléans", postalCodes: ["45000", "45100"], phoneDigit: 2, weight: 2),
        FrenchCity(name: "Saint-Denis", postalCodes: ["93200", "93210"], phoneDigit: 1, weight: 3),
        FrenchCity(name: "Rouen", postalCodes: ["76000", "76100"], phoneDigit: 2, weight: 3),
        FrenchCity(name: "Mulhouse", postalCodes: ["68100", "68200"], phoneDigit: 3, weight: 2),
        FrenchCity(name: "Montreuil", postalCodes: ["93100"], phoneDigit: 1, weight: 2),
        FrenchCity(name: "Caen", postalCodes: ["14000"], phoneDigit: 2, weight: 2),
        FrenchCity(name: "Nancy", postalCodes: ["54000", "54100"], phoneDigit: 3, weight: 2),
        FrenchCity(name: "Roubaix", postalCodes: ["59100"], phoneDigit: 3, weight: 1),
        FrenchCity(name: "Nanterre", postalCodes: ["92000"], phoneDigit: 1, weight: 3),
        FrenchCity(name: "Créteil", postalCodes: ["94000"], phoneDigit: 1, weight: 2),
        FrenchCity(name: "Avignon", postalCodes: ["84000"], phoneDigit: 4, weight: 2),
        FrenchCity(name: "Poitiers", postalCodes: ["86000"], phoneDigit: 5, weight: 2),
        FrenchCity(name: "Versailles", postalCodes: ["78000"], phoneDigit: 1, weight: 3),
        FrenchCity(name: "Courbevoie", postalCodes: ["92400"], phoneDigit: 1, weight: 4),
        FrenchCity(name: "Neuilly-sur-Seine", postalCodes: ["92200"], phoneDigit: 1, weight: 3),
        FrenchCity(name: "Issy-les-Moulineaux", postalCodes: ["92130"], phoneDigit: 1, weight: 3),
        FrenchCity(name: "Levallois-Perret", postalCodes: ["92300"], phoneDigit: 1, weight: 3),
        FrenchCity(name: "Rueil-Malmaison", postalCodes: ["92500"], phoneDigit: 1, weight: 2),
        FrenchCity(name: "L'Haÿ-les-Roses", postalCodes: ["94240"], phoneDigit: 1, weight: 1),
        FrenchCity(name: "Le Kremlin-Bicêtre", postalCodes: ["94270"], phoneDigit: 1, weight: 1),
        FrenchCity(name: "Châlons-en-Champagne", postalCodes: ["51000"], phoneDigit: 3, weight: 1),
        FrenchCity(name: "Évry-Courcouronnes", postalCodes: ["91000", "91080"], phoneDigit: 1, weight: 1),
        FrenchCity(name: "Cergy", postalCodes: ["95000", "95800"], phoneDigit: 1, weight: 1),
        FrenchCity(name: "Pau", postalCodes: ["64000"], phoneDigit: 5, weight: 1),
        FrenchCity(name: "La Rochelle", postalCodes: ["17000"], phoneDigit: 5, weight: 2),
        FrenchCity(name: "Bayonne", postalCodes: ["64100"], phoneDigit: 5, weight: 1),
        FrenchCity(name: "Biarritz", postalCodes: ["64200"], phoneDigit: 5, weight: 1),
        FrenchCity(name: "Cannes", postalCodes: ["06400", "06150"], phoneDigit: 4, weight: 2),
        FrenchCity(name: "Antibes", postalCodes: ["06600", "06160"], phoneDigit: 4, weight: 1),
        FrenchCity(name: "Saint-Malo", postalCodes: ["35400"], phoneDigit: 2, weight: 1),
        FrenchCity(name: "Quimper", postalCodes: ["29000"], phoneDigit: 2, weight: 1),
        FrenchCity(name: "Vannes", postalCodes: ["56000"], phoneDigit: 2, weight: 1),
        FrenchCity(name: "Chambéry", postalCodes: ["73000"], phoneDigit: 4, weight: 1),
        FrenchCity(name: "Valence", postalCodes: ["26000"], phoneDigit: 4, weight: 1),
        FrenchCity(name: "Troyes", postalCodes: ["10000"], phoneDigit: 3, weight: 1),
        FrenchCity(name: "Colmar", postalCodes: ["68000"], phoneDigit: 3, weight: 1),
        FrenchCity(name: "Épinal", postalCodes: ["88000"], phoneDigit: 3, weight: 1),
        FrenchCity(name: "Mâcon", postalCodes: ["71000"], phoneDigit: 3, weight: 1),
        FrenchCity(name: "Sèvres", postalCodes: ["92310"], phoneDigit: 1, weight: 1),
        FrenchCity(name: "Nogent-sur-Marne", postalCodes: ["94130"], phoneDigit: 1, weight: 1),
        FrenchCity(name: "Fontainebleau", postalCodes: ["77300"], phoneDigit: 1, weight: 1),
        FrenchCity(name: "Chantilly", postalCodes: ["60500"], phoneDigit: 3, weight: 1),
        FrenchCity(name: "Deauville", postalCodes: ["14800"], phoneDigit: 2, weight: 1),
        FrenchCity(name: "Ajaccio", postalCodes: ["20000", "20090"], phoneDigit: 4, weight: 1),
        FrenchCity(name: "Bastia", postalCodes: ["20200", "20600"], phoneDigit: 4, weight: 1),
        FrenchCity(name: "Saint-Denis", postalCodes: ["97400"], phoneDigit: 2, weight: 1),  // La Réunion
        FrenchCity(name: "Fort-de-France", postalCodes: ["97200"], phoneDigit: 5, weight: 1),
    ]

    static let frenchCityWeights: [Int] = frenchCities.map(\.weight)

    /// Cities of head offices of well-known companies.
    static let headOfficeCityIndexes: [Int] = ["Paris", "Paris", "Paris", "Courbevoie", "Boulogne-Billancourt",
                                               "Issy-les-Moulineaux", "Levallois-Perret", "Saint-Denis", "Nanterre"]
        .map { name in frenchCities.firstIndex { $0.name == name }! }

    static let foreignCities: [ForeignCity] = [
        ForeignCity(country: "BE", name: "Bruxelles", postalCode: "1000", phoneCountryCode: "32", areaCode: [2], nationalLength: 8),
        ForeignCity(country: "BE", name: "Ixelles", postalCode: "1050", phoneCountryCode: "32", areaCode: [2], nationalLength: 8),
        ForeignCity(country: "BE", name: "Liège", postalCode: "4000", phoneCountryCode: "32", areaCode: [4], nationalLength: 8),
        ForeignCity(country: "BE", name: "Namur", postalCode: "5000", phoneCountryCode: "32", areaCode: [8, 1], nationalLength: 8),
        ForeignCity(country: "BE", name: "Gand", postalCode: "9000", phoneCountryCode: "32", areaCode: [9], nationalLength: 8),
        ForeignCity(country: "BE", name: "Anvers", postalCode: "2000", phoneCountryCode: "32", areaCode: [3], nationalLength: 8),
        ForeignCity(country: "BE", name: "Louvain-la-Neuve", postalCode: "1348", phoneCountryCode: "32", areaCode: [1, 0], nationalLength: 8),
        ForeignCity(country: "CH", name: "Genève", postalCode: "1201", phoneCountryCode: "41", areaCode: [2, 2], nationalLength: 9),
        ForeignCity(country: "CH", name: "Lausanne", postalCode: "1003", phoneCountryCode: "41", areaCode: [2, 1], nationalLength: 9),
        ForeignCity(country: "CH", name: "Zürich", postalCode: "8001", phoneCountryCode: "41", areaCode: [4, 4], nationalLength: 9),
        ForeignCity(country: "CH", name: "Bâle", postalCode: "4051", phoneCountryCode: "41", areaCode: [6, 1], nationalLength: 9),
        ForeignCity(country: "CH", name: "Neuchâtel", postalCode: "2000", phoneCountryCode: "41", areaCode: [3, 2], nationalLength: 9),
        ForeignCity(country: "CH", name: "Montreux", postalCode: "1820", phoneCountryCode: "41", areaCode: [2, 1], nationalLength: 9),
        ForeignCity(country: "DE", name: "Berlin", postalCode: "10115", phoneCountryCode: "49", areaCode: [3, 0], nationalLength: 10),
        ForeignCity(country: "DE", name: "München", postalCode: "80331", phoneCountryCode: "49", areaCode: [8, 9], nationalLength: 10),
        ForeignCity(country: "DE", name: "Köln", postalCode: "50667", phoneCountryCode: "49", areaCode: [2, 2, 1], nationalLength: 10),
        ForeignCity(country: "DE", name: "Frankfurt am Main", postalCode: "60311", phoneCountryCode: "49", areaCode: [6, 9], nationalLength: 10),
        ForeignCity(country: "DE", name: "Düsseldorf", postalCode: "40213", phoneCountryCode: "49", areaCode: [2, 1, 1], nationalLength: 10),
        ForeignCity(country: "DE", name: "Saarbrücken", postalCode: "66111", phoneCountryCode: "49", areaCode: [6, 8, 1], nationalLength: 10),
        ForeignCity(country: "DE", name: "Leipzig", postalCode: "04109", phoneCountryCode: "49", areaCode: [3, 4, 1], nationalLength: 10),
        ForeignCity(country: "ES", name: "Madrid", postalCode: "28013", phoneCountryCode: "34", areaCode: [9, 1], nationalLength: 9),
        ForeignCity(country: "ES", name: "Barcelona", postalCode: "08002", phoneCountryCode: "34", areaCode: [9, 3], nationalLength: 9),
        ForeignCity(country: "ES", name: "Valencia", postalCode: "46002", phoneCountryCode: "34", areaCode: [9, 6], nationalLength: 9),
        ForeignCity(country: "ES", name: "Sevilla", postalCode: "41001", phoneCountryCode: "34", areaCode: [9, 5, 4], nationalLength: 9),
        ForeignCity(country: "ES", name: "Bilbao", postalCode: "48001", phoneCountryCode: "34", areaCode: [9, 4, 4], nationalLength: 9),
        ForeignCity(country: "ES", name: "San Sebastián", postalCode: "20003", phoneCountryCode: "34", areaCode: [9, 4, 3], nationalLength: 9),
        ForeignCity(country: "ES", name: "Málaga", postalCode: "29015", phoneCountryCode: "34", areaCode: [9, 5, 2], nationalLength: 9),
    ]

    /// Mobile prefixes by country (national digits after the country code).
    static func foreignMobile(_ country: String, _ rng: inout DemoRandom) -> [UInt8] {
        var d: [UInt8]
        var length: Int
        switch country {
        case "BE": d = [4, UInt8(rng.range(7, 9))]; length = 9
        case "CH": d = [7, UInt8(rng.range(5, 9))]; length = 9
        case "DE": d = [1, 5, UInt8(rng.range(1, 9))]; length = 11
        default: d = [6, UInt8(rng.range(0, 9))]; length = 9
        }
        while d.count < length { d.append(UInt8(rng.int(10))) }
        return d
    }

    static let streetTypes: [String] = [
        "rue", "rue", "rue", "avenue", "boulevard", "place", "quai", "allée", "chemin", "impasse", "cours",
    ]
    static let streetNames: [String] = [
        "de la République", "Victor-Hugo", "Jean-Jaurès", "du Général-de-Gaulle", "de la Paix", "Pasteur",
        "des Lilas", "de l'Église", "du Moulin", "Gambetta", "Foch", "de Verdun", "Saint-Honoré",
        "du Faubourg Saint-Antoine", "de l'Europe", "des Vignes", "du Château", "Sainte-Catherine",
        "Émile-Zola", "de la Gare", "Haussmann", "des Champs-Élysées", "de Rivoli", "Bellecour",
        "de la Liberté", "du Maréchal-Leclerc", "Anatole-France", "Lafayette", "de Provence", "d'Alsace",
        "des Tanneurs", "de l'Hôtel-de-Ville", "Molière", "Jeanne-d'Arc", "Saint-Vincent", "des Carmes",
        "Aristide-Briand", "de la Croix-Rousse", "du 8-Mai-1945", "Édouard-Herriot",
    ]
    static let businessParks: [String] = [
        "ZI des Glaisins", "Parc d'activités du Moulin", "ZAC de la Plaine", "Technopôle Atalante",
        "Parc technologique de la Pardieu", "Espace Européen de l'Entreprise", "ZA du Bois-Joli",
        "Pôle d'activités d'Aix-en-Provence", "Parc Éiffel", "Zone portuaire",
    ]
    static let address2s: [String] = [
        "Bâtiment B", "3e étage", "BP 1234", "CS 40012", "Escalier C", "Immeuble Le Carré", "Porte 4",
        "Résidence les Tilleuls", "Hall A, 2e étage", "Tour Majunga", "Lot n° 12", "Service comptabilité",
    ]
    static let foreignStreets: [String: [String]] = [
        "BE": ["Avenue Louise", "Rue Neuve", "Boulevard d'Avroy", "Rue de la Loi", "Chaussée de Waterloo", "Meir"],
        "CH": ["Rue du Rhône", "Bahnhofstrasse", "Avenue de la Gare", "Rue de Lausanne", "Grand-Rue"],
        "DE": ["Friedrichstraße", "Königsallee", "Maximilianstraße", "Schillerstraße", "Hauptstraße"],
        "ES": ["Calle de Alcalá", "Gran Vía", "Passeig de Gràcia", "Calle Mayor", "Avenida de la Constitución"],
    ]

    /// Place phrases with their French preposition: "de l'Ouest", "d'Yquem", "du Lac".
    static let dePhrases: [String] = [
        "de l'Ouest", "du Centre", "de Provence", "des Alpes", "de Bretagne", "d'Armor", "du Lac", "de la Loire",
        "de Saint-Étienne", "de Bourgogne", "d'Alsace", "du Périgord", "de Normandie", "de la Côte d'Azur",
        "du Vercors", "des Flandres", "de Champagne", "du Val de Loire", "d'Auvergne", "du Béarn", "de l'Œuvre",
        "des Vignes", "de Chantilly", "d'Yquem", "d'Ermenonville", "de la Roche-Guyon", "de Vaux-le-Vicomte",
        "de Bellevue", "de l'Étang", "des Trois-Rivières", "de Montvillargenne", "du Mont-Blanc", "de Sologne",
        "des Landes", "de Camargue", "du Luberon", "de la Baie", "d'Île-de-France", "du Sud-Ouest", "de Courcelles",
    ]

    static let regions: [String] = [
        "Île-de-France", "Hauts-de-France", "Grand Est", "Auvergne-Rhône-Alpes", "Provence-Alpes-Côte d'Azur",
        "Occitanie", "Nouvelle-Aquitaine", "Bretagne", "Normandie", "Pays de la Loire", "Centre-Val de Loire",
        "Bourgogne-Franche-Comté",
    ]

    static let incentiveDestinations: [String] = [
        "Marrakech", "Lisbonne", "Barcelone", "Séville", "Porto", "New York", "Dubaï", "Reykjavik", "Corse",
        "Copenhague", "Québec", "Naples", "Cracovie", "Essaouira",
    ]

    /// Well-known event venues with their city.
    static let venues: [(name: String, city: String)] = [
        ("Palais des Congrès de Paris", "Paris"), ("Pavillon Dauphine", "Paris"), ("Carrousel du Louvre", "Paris"),
        ("Palais Brongniart", "Paris"), ("Les Salons Hoche", "Paris"), ("Le Pré Catelan", "Paris"),
        ("Pavillon Ledoyen", "Paris"), ("Cité Internationale", "Lyon"), ("Musée des Confluences", "Lyon"),
        ("Palais de la Bourse", "Marseille"), ("Palais du Pharo", "Marseille"), ("Château de Chantilly", "Chantilly"),
        ("Acropolis", "Nice"), ("Palais des Festivals", "Cannes"), ("Le Corum", "Montpellier"),
        ("Palais de la Musique et des Congrès", "Strasbourg"), ("Lille Grand Palais", "Lille"),
        ("Cité des Congrès", "Nantes"), ("Hangar 14", "Bordeaux"), ("Abbaye des Vaux de Cernay", "Cernay-la-Ville"),
        ("Château d'Yquem", "Sauternes"), ("Hôtel Negresco", "Nice"),
        ("Centre de Congrès de Saint-Étienne", "Saint-Étienne"), ("Domaine de Fontenille", "Lauris"),
        ("Les Docks de Paris", "Aubervilliers"), ("Château de Vaux-le-Vicomte", "Maincy"),
    ]
}
