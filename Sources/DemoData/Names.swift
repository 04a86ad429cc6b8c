/// People: first names by gender, last names, positions and the CRM's pick lists.
enum DemoNames {
    static let maleFirstNames: [String] = [
        "Jean", "Pierre", "Michel", "Philippe", "Alain", "Nicolas", "Christophe", "Patrick", "Stéphane",
        "Laurent", "Frédéric", "Olivier", "Éric", "Thierry", "David", "Julien", "Sébastien", "Thomas",
        "Antoine", "Maxime", "Alexandre", "Hugo", "Lucas", "Louis", "Gabriel", "Raphaël", "Arthur",
        "Jules", "Mathis", "Nathan", "Théo", "Léo", "Enzo", "Noël", "Hervé", "Loïc", "Jérôme", "Benoît",
        "François", "Jean-François", "Jean-Pierre", "Jean-Marc", "Jean-Luc", "Pierre-Yves", "Marc-Antoine",
        "Gaël", "Joël", "Yannick", "Mickaël", "Grégoire", "Rémi", "Clément", "Bastien", "Cédric",
        "Damien", "Guillaume", "Vincent", "Xavier", "Yves", "Bruno", "Didier", "Gérard", "René", "André",
        "Jérémy", "Kévin", "Mehdi", "Karim", "Mamadou", "Moussa", "Thibault", "Aurélien", "Timothée",
        "Côme", "Aloïs", "Benjamin", "Romain", "Florian", "Quentin", "Adrien", "Matthieu", "Franck",
        "Pascal", "Emmanuel", "Ludovic", "Sylvain", "Fabrice", "Jean-Baptiste", "Étienne", "Baptiste",
    ]

    static let femaleFirstNames: [String] = [
        "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Valérie", "Sandrine",
        "Christine", "Véronique", "Céline", "Stéphanie", "Sophie", "Aurélie", "Émilie", "Julie", "Camille",
        "Léa", "Manon", "Chloé", "Zoë", "Inès", "Jade", "Louise", "Emma", "Lina", "Maëlys", "Gaëlle",
        "Hélène", "Marie-Hélène", "Anne-Sophie", "Marie-Claire", "Marie-Christine", "Anne-Laure", "Agnès",
        "Béatrice", "Cécile", "Élodie", "Mélanie", "Noémie", "Océane", "Anaïs", "Laëtitia", "Joëlle",
        "Danièle", "Gisèle", "Geneviève", "Brigitte", "Martine", "Monique", "Nadia", "Fatima", "Aïcha",
        "Salomé", "Clémence", "Pauline", "Margaux", "Mathilde", "Bérénice", "Héloïse", "Capucine",
        "Maïwenn", "Solène", "Eugénie", "Charlotte", "Juliette", "Alice", "Claire", "Delphine", "Virginie",
        "Karine", "Audrey", "Laure", "Élise", "Anne", "Sarah", "Laura", "Marion", "Amélie", "Ophélie",
    ]

    static let lastNames: [String] = [
        "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
        "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
        "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Müller", "Lefebvre", "Faure",
        "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand",
        "Gauthier", "Garcia", "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel",
        "Mathieu", "Gautier", "Masson", "Marchand", "Duval", "Denis", "Dumont", "Lemaire", "Noël", "Meyer",
        "Dufour", "Meunier", "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard",
        "Barbier", "Arnaud", "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin",
        "Vidal", "Caron", "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix",
        "Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland",
        "Leclercq", "Guillaume", "Lecomte", "Lopez", "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier",
        "Sanchez", "Dupuis", "Moulin", "Deschamps", "Huet", "Vasseur", "Perez", "Boucher", "Fleury",
        "Royer", "Klein", "Jacquet", "Adam", "Poirier", "Marty", "Aubry", "Guyot", "Carré", "Charles",
        "Renault", "Charpentier", "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé", "Schneider",
        "Fernandez", "Le Gall", "Collet", "Léger", "Bouvier", "Julien", "Prévost", "Millet", "Perrot",
        "Le Roux", "Cousin", "Germain", "Breton", "Besson", "Langlois", "Rémy", "Le Goff", "Pelletier",
        "Lévêque", "Perrier", "Leblanc", "Barré", "Lebrun", "Marchal", "Weber", "Mallet", "Hamon",
        "Boulanger", "Jacob", "Monnier", "Michaud", "Rodriguez", "Guichard", "Gillet", "Étienne",
        "Grondin", "Poulain", "Tessier", "Chevallier", "Collin", "Chauvin", "Da Silva", "Bouchet", "Gay",
        "Lemaître", "Bénard", "Maréchal", "Humbert", "Reynaud", "Antoine", "Hoarau", "Perret",
        "Barthélemy", "Cordier", "Pichon", "Lejeune", "Gilbert", "Lamy", "Delaunay", "Pasquier", "Carlier",
        "Laporte", "N'Diaye", "Diallo", "Traoré", "Nguyen", "Benali", "Haddad", "Ben Ahmed", "d'Arc",
        "De La Fontaine", "de Villiers", "Saint-Martin", "Le Floch", "Kerbrat", "Dos Santos", "Öztürk",
        "Lefèvre-Dubois", "Giraud-Lambert", "Dupont-Aignan", "Lenôtre", "Bézier", "Côté", "Thébault",
    ]

    /// Foreign first and last names by country (BE, CH, DE, ES).
    static let foreignMale: [String: [String]] = [
        "BE": ["Jan", "Pieter", "Wim", "Koen", "Luc", "Marc", "Didier", "Bart", "Geert", "Olivier"],
        "CH": ["Urs", "Reto", "Beat", "Jean-Daniel", "Laurent", "Pascal", "Thomas", "Lukas"],
        "DE": ["Jürgen", "Klaus", "Stefan", "Andreas", "Jörg", "Björn", "Matthias", "Uwe", "Günther"],
        "ES": ["José", "Javier", "Álvaro", "Íñigo", "Carlos", "Manuel", "Sergio", "Jesús"],
    ]
    static let foreignFemale: [String: [String]] = [
        "BE": ["Els", "An", "Lieve", "Sofie", "Nathalie", "Annick", "Inge", "Véronique"],
        "CH": ["Corinne", "Nadine", "Ursula", "Séverine", "Anne-Catherine", "Regula", "Chantal"],
        "DE": ["Katrin", "Sabine", "Ute", "Jutta", "Anja", "Birgit", "Jülide", "Dörte"],
        "ES": ["Carmen", "María", "Lucía", "Begoña", "Pilar", "Nuria", "Mónica", "Inmaculada"],
    ]
    static let foreignLast: [String: [String]] = [
        "BE": ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
               "Wouters", "Dubois", "Lambert", "Van den Berg", "Vandenbroucke", "Van Damme", "De Smet"],
        "CH": ["Favre", "Rochat", "Meier", "Bühler", "Keller", "Zimmermann", "Brunner", "Gerber",
               "Baumann", "Frei", "Moser", "Chappuis", "Gygax"],
        "DE": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann",
               "Schäfer", "Koch", "Bauer", "Groß", "Köhler"],
        "ES": ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez",
               "Gómez", "Muñoz", "Ibáñez", "Núñez"],
    ]

    /// Client positions as (masculine, feminine) forms.
    static let clientPositions: [(String, String)] = [
        ("Directeur marketing", "Directrice marketing"), ("Responsable des achats", "Responsable des achats"),
        ("Chef de projet événementiel", "Cheffe de projet événementiel"),
        ("Assistant de direction", "Assistante de direction"), ("Directeur général", "Directrice générale"),
        ("Responsable communication", "Responsable communication"),
        ("Chargé de communication", "Chargée de communication"), ("Office manager", "Office manager"),
        ("Responsable RH", "Responsable RH"), ("Directeur des ressources humaines", "Directrice des ressources humaines"),
        ("Chef de produit", "Cheffe de produit"), ("Responsable des relations publiques", "Responsable des relations publiques"),
        ("Président", "Présidente"), ("Gérant", "Gérante"), ("Secrétaire général", "Secrétaire générale"),
        ("Directeur commercial", "Directrice commerciale"), ("Responsable événementiel", "Responsable événementiel"),
        ("Chargé de mission", "Chargée de mission"), ("Comptable", "Comptable"),
        ("Directeur administratif et financier", "Directrice administrative et financière"),
        ("Responsable des services généraux", "Responsable des services généraux"), ("Acheteur", "Acheteuse"),
        ("Attaché de presse", "Attachée de presse"), ("Responsable CE", "Responsable CE"),
        ("Chef de cabinet", "Cheffe de cabinet"), ("Responsable partenariats", "Responsable partenariats"),
        ("Directeur de la communication interne", "Directrice de la communication interne"),
    ]

    /// Partner positions as (masculine, feminine) forms.
    static let partnerPositions: [(String, String)] = [
        ("Responsable commercial", "Responsable commerciale"), ("Chargé d'affaires", "Chargée d'affaires"),
        ("Chef de cuisine", "Cheffe de cuisine"), ("Responsable banquets", "Responsable banquets"),
        ("Régisseur général", "Régisseuse générale"), ("Directeur de site", "Directrice de site"),
        ("Technicien son et lumière", "Technicienne son et lumière"), ("Directeur des ventes", "Directrice des ventes"),
        ("Gérant", "Gérante"), ("Chef de rang", "Cheffe de rang"), ("Responsable logistique", "Responsable logistique"),
        ("Chargé de clientèle", "Chargée de clientèle"), ("Coordinateur événementiel", "Coordinatrice événementielle"),
        ("Maître d'hôtel", "Maîtresse d'hôtel"), ("Responsable réservations", "Responsable réservations"),
        ("Directeur d'exploitation", "Directrice d'exploitation"),
    ]

    static let sources: [String] = [
        "Salon professionnel", "Site web", "Recommandation", "LinkedIn", "Prospection téléphonique",
        "Bouche-à-oreille", "Appel d'offres", "Newsletter", "Ancien client", "Partenaire", "Salon Heavent",
        "Campagne e-mailing",
    ]

    static let potentials: [String] = ["Faible", "Moyen", "Fort", "Très fort"]
    static let situations: [String] = ["Membre", "Non Membre"]
    static let stages: [String] = [
        "Prospect", "Premier contact", "Rendez-vous", "Proposition envoyée", "Négociation", "Client",
        "Fidélisé", "Perdu",
    ]
    static let salesReps: [String] = [
        "Sophie Marchand", "Julien Roux", "Camille Perrin", "Thomas Girard", "Hélène Lefèvre",
        "Maxime Fabre", "Léa Bonnet", "Nicolas Dupré",
    ]
    static let comments: [String] = [
        "Préfère être contacté le matin.", "Intéressé par les séminaires au vert.",
        "A participé au salon Heavent 2024.", "Allergique aux fruits à coque — prévoir un menu adapté.",
        "Rappeler après le 15 septembre.", "Budget validé en comité de direction en janvier.",
        "Souhaite recevoir le catalogue « Soirées de gala ».", "Contact très réactif, décide seul jusqu'à 20 k€.",
        "Ne pas appeler le vendredi après-midi.", "Remplace Mme Dubois depuis mars.",
        "Demande systématiquement trois devis.", "Végétarien ; aime les lieux atypiques.",
    ]
    static let commentCategories: [String] = ["Commercial", "Logistique", "Facturation", "Général"]
    static let freeMailDomains: [String] = [
        "gmail.com", "orange.fr", "free.fr", "wanadoo.fr", "hotmail.fr", "laposte.net", "yahoo.fr", "sfr.fr",
    ]
}
