"""Word lists for seeded data: real European cities and multilingual names.

The workspace serves cities across Europe and the people they work with, so
seeded names carry accents, other scripts (Greek, Cyrillic, Chinese),
right-to-left text (Arabic, Persian) and, in community and organisation
names, the odd emoji: the data a real workspace holds, which every page,
export and search must handle.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    name: str
    country: str  # ISO 3166-1 alpha-2
    latitude: float
    longitude: float
    municipality: str  # the city administration's own name
    lang: str


CITIES: list[City] = [
    City("Düsseldorf", "DE", 51.2277, 6.7735, "Landeshauptstadt Düsseldorf", "de"),
    City("München", "DE", 48.1351, 11.5820, "Landeshauptstadt München", "de"),
    City("Köln", "DE", 50.9375, 6.9603, "Stadt Köln", "de"),
    City("Leipzig", "DE", 51.3397, 12.3731, "Stadt Leipzig", "de"),
    City("Nürnberg", "DE", 49.4521, 11.0767, "Stadt Nürnberg", "de"),
    City("Göttingen", "DE", 51.5413, 9.9158, "Stadt Göttingen", "de"),
    City("Lyon", "FR", 45.7640, 4.8357, "Ville de Lyon", "fr"),
    City("Nantes", "FR", 47.2184, -1.5536, "Ville de Nantes", "fr"),
    City("Strasbourg", "FR", 48.5734, 7.7521, "Ville et Eurométropole de Strasbourg", "fr"),
    City("Besançon", "FR", 47.2378, 6.0241, "Ville de Besançon", "fr"),
    City("Bologna", "IT", 44.4949, 11.3426, "Comune di Bologna", "it"),
    City("Milano", "IT", 45.4642, 9.1900, "Comune di Milano", "it"),
    City("Torino", "IT", 45.0703, 7.6869, "Città di Torino", "it"),
    City("Napoli", "IT", 40.8518, 14.2681, "Comune di Napoli", "it"),
    City("Barcelona", "ES", 41.3874, 2.1686, "Ajuntament de Barcelona", "ca"),
    City("Málaga", "ES", 36.7213, -4.4214, "Ayuntamiento de Málaga", "es"),
    City("Córdoba", "ES", 37.8882, -4.7794, "Ayuntamiento de Córdoba", "es"),
    City("València", "ES", 39.4699, -0.3763, "Ajuntament de València", "ca"),
    City("A Coruña", "ES", 43.3623, -8.4115, "Concello da Coruña", "es"),
    City("Lisboa", "PT", 38.7223, -9.1393, "Câmara Municipal de Lisboa", "pt"),
    City("Porto", "PT", 41.1579, -8.6291, "Câmara Municipal do Porto", "pt"),
    City("Amadora", "PT", 38.7538, -9.2308, "Câmara Municipal da Amadora", "pt"),
    City("Utrecht", "NL", 52.0907, 5.1214, "Gemeente Utrecht", "nl"),
    City("Rotterdam", "NL", 51.9244, 4.4777, "Gemeente Rotterdam", "nl"),
    City("Den Haag", "NL", 52.0705, 4.3007, "Gemeente Den Haag", "nl"),
    City("Eindhoven", "NL", 51.4416, 5.4697, "Gemeente Eindhoven", "nl"),
    City("Gent", "BE", 51.0543, 3.7174, "Stad Gent", "nl"),
    City("Liège", "BE", 50.6326, 5.5797, "Ville de Liège", "fr"),
    City("Antwerpen", "BE", 51.2194, 4.4025, "Stad Antwerpen", "nl"),
    City("Kraków", "PL", 50.0647, 19.9450, "Urząd Miasta Krakowa", "pl"),
    City("Łódź", "PL", 51.7592, 19.4560, "Urząd Miasta Łodzi", "pl"),
    City("Gdańsk", "PL", 54.3520, 18.6466, "Urząd Miejski w Gdańsku", "pl"),
    City("Wrocław", "PL", 51.1079, 17.0385, "Urząd Miejski Wrocławia", "pl"),
    City("Brno", "CZ", 49.1951, 16.6068, "Statutární město Brno", "cs"),
    City("Plzeň", "CZ", 49.7384, 13.3736, "Statutární město Plzeň", "cs"),
    City("Göteborg", "SE", 57.7089, 11.9746, "Göteborgs Stad", "sv"),
    City("Malmö", "SE", 55.6050, 13.0038, "Malmö stad", "sv"),
    City("Umeå", "SE", 63.8258, 20.2630, "Umeå kommun", "sv"),
    City("Aarhus", "DK", 56.1629, 10.2039, "Aarhus Kommune", "da"),
    City("København", "DK", 55.6761, 12.5683, "Københavns Kommune", "da"),
    City("Helsinki", "FI", 60.1699, 24.9384, "Helsingin kaupunki", "fi"),
    City("Jyväskylä", "FI", 62.2426, 25.7473, "Jyväskylän kaupunki", "fi"),
    City("Tromsø", "NO", 69.6492, 18.9553, "Tromsø kommune", "nb"),
    City("Bergen", "NO", 60.3913, 5.3221, "Bergen kommune", "nb"),
    City("Wien", "AT", 48.2082, 16.3738, "Stadt Wien", "de"),
    City("Graz", "AT", 47.0707, 15.4395, "Stadt Graz", "de"),
    City("Zürich", "CH", 47.3769, 8.5417, "Stadt Zürich", "de"),
    City("Genève", "CH", 46.2044, 6.1432, "Ville de Genève", "fr"),
    City("Αθήνα", "GR", 37.9838, 23.7275, "Δήμος Αθηναίων", "el"),
    City("Θεσσαλονίκη", "GR", 40.6401, 22.9444, "Δήμος Θεσσαλονίκης", "el"),
    City("Ioannina", "GR", 39.6650, 20.8537, "Δήμος Ιωαννιτών", "el"),
    City("Cluj-Napoca", "RO", 46.7712, 23.6236, "Primăria Cluj-Napoca", "ro"),
    City("Timișoara", "RO", 45.7489, 21.2087, "Primăria Municipiului Timișoara", "ro"),
    City("Iași", "RO", 47.1585, 27.6014, "Primăria Municipiului Iași", "ro"),
    City("Budapest", "HU", 47.4979, 19.0402, "Budapest Főváros Önkormányzata", "hu"),
    City("Pécs", "HU", 46.0727, 18.2323, "Pécs Megyei Jogú Város", "hu"),
    City("Ljubljana", "SI", 46.0569, 14.5058, "Mestna občina Ljubljana", "sl"),
    City("Zagreb", "HR", 45.8150, 15.9819, "Grad Zagreb", "hr"),
    City("Split", "HR", 43.5081, 16.4402, "Grad Split", "hr"),
    City("Dublin", "IE", 53.3498, -6.2603, "Dublin City Council", "en"),
    City("Cork", "IE", 51.8985, -8.4756, "Cork City Council", "en"),
    City("Vilnius", "LT", 54.6872, 25.2797, "Vilniaus miesto savivaldybė", "lt"),
    City("Kaunas", "LT", 54.8985, 23.9036, "Kauno miesto savivaldybė", "lt"),
    City("Rīga", "LV", 56.9496, 24.1052, "Rīgas valstspilsētas pašvaldība", "lv"),
    City("Tartu", "EE", 58.3780, 26.7290, "Tartu linn", "et"),
    City("Пловдив", "BG", 42.1354, 24.7453, "Община Пловдив", "bg"),
    City("София", "BG", 42.6977, 23.3219, "Столична община", "bg"),
    City("Λευκωσία", "CY", 35.1856, 33.3823, "Δήμος Λευκωσίας", "el"),
    City("Valletta", "MT", 35.8989, 14.5146, "Kunsill Lokali Valletta", "mt"),
    City("Esch-sur-Alzette", "LU", 49.4958, 5.9806, "Ville d'Esch-sur-Alzette", "fr"),
    City("Košice", "SK", 48.7164, 21.2611, "Mesto Košice", "sk"),
    City("Reykjavík", "IS", 64.1466, -21.9426, "Reykjavíkurborg", "is"),
]

TIME_ZONES = {
    "DE": "Europe/Berlin",
    "FR": "Europe/Paris",
    "IT": "Europe/Rome",
    "ES": "Europe/Madrid",
    "PT": "Europe/Lisbon",
    "NL": "Europe/Amsterdam",
    "BE": "Europe/Brussels",
    "PL": "Europe/Warsaw",
    "CZ": "Europe/Prague",
    "SE": "Europe/Stockholm",
    "DK": "Europe/Copenhagen",
    "FI": "Europe/Helsinki",
    "NO": "Europe/Oslo",
    "AT": "Europe/Vienna",
    "CH": "Europe/Zurich",
    "GR": "Europe/Athens",
    "RO": "Europe/Bucharest",
    "HU": "Europe/Budapest",
    "SI": "Europe/Ljubljana",
    "HR": "Europe/Zagreb",
    "IE": "Europe/Dublin",
    "LT": "Europe/Vilnius",
    "LV": "Europe/Riga",
    "EE": "Europe/Tallinn",
    "BG": "Europe/Sofia",
    "CY": "Asia/Nicosia",
    "MT": "Europe/Malta",
    "LU": "Europe/Luxembourg",
    "SK": "Europe/Bratislava",
    "IS": "Atlantic/Reykjavik",
}

# (name, country): European networks the communities work with, seated in Brussels.
NETWORKS = [
    "Eurocities",
    "MigrationWork CIC",
    "Centre for European Volunteering (CEV)",
    "ECRE – European Council on Refugees and Exiles",
    "Welcoming International",
    "SOLIDAR",
]
BRUSSELS = (50.8503, 4.3517)

# Organisations found in most cities; {c} is the city's name.
NGO_PATTERNS = [
    "Volunteer Centre {c}",
    "Freiwilligenagentur {c}",
    "Centre du bénévolat de {c}",
    "Red Cross {c}",
    "Caritas {c}",
    "Refugees Welcome {c}",
    "Youth Bridge {c} 🌉",
    "جمعية الصداقة – {c}",
    "Migrant Voices {c}",
    "Buddy Network {c} 🤝",
    "Welcome Café {c} ☕",
    "Neighbourhood House {c}",
    "Women's Circle {c}",
    "Sport für alle {c} ⚽",
]

# Community topics as communities name themselves, in their own languages.
TOPICS = [
    "Welcoming culture",
    "Willkommenskultur",
    "Culture de l'accueil",
    "Cultura dell'accoglienza",
    "Volunteering with refugees",
    "Ehrenamt mit Geflüchteten",
    "Voluntariado con personas refugiadas",
    "Neighbourhood cooperation",
    "Coopération de quartier",
    "Vrijwilligers in de wijk",
    "Young migrants engage",
    "Jóvenes migrantes en acción",
    "Language cafés ☕",
    "Mentoring for newcomers",
    "Sport & inclusion ⚽",
    "Digital volunteering 💻",
    "Green volunteering 🌱",
    "التطوع والاندماج",
    "Współpraca miasta z wolontariuszami",
    "Εθελοντισμός και ένταξη",
    "Integrace a dobrovolnictví",
    "Frivillighet och inkludering",
    "Women's circles",
    "Вітаємо: welcoming Ukrainians 🇺🇦",
    "Volunteer management in cities",
    "Recognising volunteers",
    "Intercultural festivals 🎉",
    "داوطلبی و همبستگی",
]

THEMES = [
    "Community building and welcoming culture",
    "Volunteering with migrants and refugees",
    "City-volunteer cooperation in neighbourhoods",
    "Volunteers engaging young migrants",
]

# Given names and family names per language; (given, family, family_first).
_NAMES: dict[str, tuple[list[str], list[str], bool]] = {
    "de": (
        ["Jürgen", "Änne", "Lukas", "Sophie", "Jörg", "Käthe", "Günther", "Leonie"],
        ["Müller", "Schäfer", "Weiß", "Groß", "Köhler", "Hoffmann", "Bäcker"],
        False,
    ),
    "fr": (
        ["Amélie", "François", "Hélène", "Léa", "Noël", "Zoé", "Loïc", "Maëlle"],
        ["Dubois", "Lefèvre", "Moreau", "Girard", "Bérenger", "Faure"],
        False,
    ),
    "es": (
        ["José", "María", "Nuria", "Íñigo", "Begoña", "Adrián", "Lucía"],
        ["García", "Núñez", "Peña", "Ibáñez", "Martínez", "Muñoz"],
        False,
    ),
    "pt": (
        ["João", "Conceição", "Inês", "Gonçalo", "Sebastião"],
        ["Gonçalves", "Simões", "Conceição", "Magalhães", "Araújo"],
        False,
    ),
    "it": (
        ["Giulia", "Niccolò", "Chiara", "Matteo", "Francesca"],
        ["Rossi", "Esposito", "Bianchi", "Colombo", "D'Angelo"],
        False,
    ),
    "pl": (
        ["Łukasz", "Małgorzata", "Wojciech", "Zofia", "Grzegorz", "Żaneta"],
        ["Wójcik", "Kowalczyk", "Wiśniewska", "Dąbrowski", "Szczęsny"],
        False,
    ),
    "cs": (
        ["Jiří", "Šárka", "Tomáš", "Kateřina"],
        ["Dvořák", "Novotná", "Černý", "Procházka"],
        False,
    ),
    "nordic": (
        ["Åsa", "Björn", "Søren", "Ingrid", "Øystein", "Päivi"],
        ["Lindqvist", "Sørensen", "Håkansson", "Ødegård", "Järvinen"],
        False,
    ),
    "el": (
        ["Γιώργος", "Ελένη", "Δημήτρης", "Κατερίνα"],
        ["Παπαδόπουλος", "Οικονόμου", "Γεωργίου"],
        False,
    ),
    "tr": (
        ["Çağla", "Emre", "Şükrü", "Ayşe", "Gökhan"],
        ["Öztürk", "Şahin", "Yıldız", "Çelik"],
        False,
    ),
    "ar": (
        ["محمد", "فاطمة", "أحمد", "ليلى", "يوسف", "مريم"],
        ["الحسن", "العلي", "منصور", "حداد"],
        False,
    ),
    "fa": (["پرویز", "شیرین", "Dariush", "Niloufar"], ["رضایی", "Karimi", "Ahmadi"], False),
    "uk": (["Олена", "Андрій", "Тарас", "Оксана"], ["Шевченко", "Коваленко", "Бондаренко"], False),
    "ro": (["Ștefan", "Ioana", "Mădălina", "Răzvan"], ["Popescu", "Țurcanu", "Mureșan"], False),
    "hu": (["Zsófia", "Gergő", "Ádám", "Réka"], ["Nagy", "Kovács", "Szabó", "Tóth"], True),
    "vi": (["Thị Hoa", "Văn Minh", "Thu Trang"], ["Nguyễn", "Trần", "Phạm"], True),
    "zh": (["芳", "伟", "静"], ["王", "李", "张"], True),
    "so": (["Abdirahman", "Hodan", "Faadumo", "Cabdi"], ["Warsame", "Cali", "Xasan"], False),
    "ga": (
        ["Siobhán", "Aoife", "Seán", "Pádraig"],
        ["Ó Briain", "Ní Mhurchú", "Mac Cárthaigh"],
        False,
    ),
}
_LANG_WEIGHTS = {
    "de": 10,
    "fr": 9,
    "es": 8,
    "pt": 4,
    "it": 7,
    "pl": 6,
    "cs": 2,
    "nordic": 5,
    "el": 3,
    "tr": 3,
    "ar": 5,
    "fa": 2,
    "uk": 4,
    "ro": 3,
    "hu": 2,
    "vi": 1,
    "zh": 1,
    "so": 2,
    "ga": 2,
}
_LANGS = list(_LANG_WEIGHTS)
_WEIGHTS = list(_LANG_WEIGHTS.values())


def person_name(rng: random.Random) -> str:
    lang = rng.choices(_LANGS, _WEIGHTS)[0]
    given, family, family_first = _NAMES[lang]
    first, last = rng.choice(given), rng.choice(family)
    if lang == "zh":
        return f"{last}{first}"
    return f"{last} {first}" if family_first else f"{first} {last}"


def ascii_handle(text: str, fallback: str) -> str:
    """Lower-case ASCII letters and dots from a name ("Jürgen Groß" -> "jurgen.gro")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = ["".join(ch for ch in word if ch.isalnum()) for word in ascii_text.split()]
    handle = ".".join(word for word in words if word)
    return handle or fallback
