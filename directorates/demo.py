"""The Municipality of Heraklion's organisation and people, for demonstration and trials.

Every function here only creates what is missing, so running it twice changes nothing.
"""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from directorates.greek import greek_upper
from directorates.models import Department, Directorate, Municipality, User
from directorates.roles import Role, role_title
from directorates.services import APP_DEVICE_NAME

# Published on purpose: demo data only, never loaded on a production database (see seed_demo).
DEMO_TOTP_KEY = "53746f786f74686573696120646d6f206b657921"
DEMO_TWO_FACTOR_USERNAMES = ["admin", "mayor", "secretary"]

# (code, Greek name, English name, kind, head (first, last), departments [(code, Greek, English)])
ORGANISATION = [
    (
        "DIOI",
        "Διεύθυνση Διοικητικών Υπηρεσιών",
        "Directorate of Administrative Services",
        "directorate",
        ("Ειρήνη", "Μαυράκη"),
        [
            ("DIOI-DIM", "Τμήμα Δημοτολογίου", "Civil Registry Department"),
            ("DIOI-LIX", "Τμήμα Ληξιαρχείου", "Registry Office Department"),
            ("DIOI-PRA", "Τμήμα Πρωτοκόλλου & Αρχείου", "Records and Archive Department"),
            ("DIOI-AIR", "Τμήμα Υποστήριξης Αιρετών Οργάνων", "Elected Bodies Support Department"),
        ],
    ),
    (
        "ADYN",
        "Διεύθυνση Ανθρώπινου Δυναμικού",
        "Directorate of Human Resources",
        "directorate",
        ("Γεώργιος", "Παπαδάκης"),
        [
            ("ADYN-DIO", "Τμήμα Διοίκησης Προσωπικού", "Personnel Administration Department"),
            (
                "ADYN-ANA",
                "Τμήμα Ανάπτυξης & Εκπαίδευσης Προσωπικού",
                "Staff Development and Training Department",
            ),
            ("ADYN-MIS", "Τμήμα Μισθοδοσίας", "Payroll Department"),
        ],
    ),
    (
        "OIK",
        "Διεύθυνση Οικονομικών Υπηρεσιών",
        "Directorate of Financial Services",
        "directorate",
        ("Μαρία", "Κατσαράκη"),
        [
            ("OIK-PRO", "Τμήμα Προϋπολογισμού & Λογιστηρίου", "Budget and Accounting Department"),
            ("OIK-ESO", "Τμήμα Εσόδων", "Revenue Department"),
            ("OIK-TAM", "Τμήμα Ταμείου", "Treasury Department"),
            ("OIK-PRM", "Τμήμα Προμηθειών", "Procurement Department"),
        ],
    ),
    (
        "PROG",
        "Διεύθυνση Προγραμματισμού, Ανάπτυξης & Ευρωπαϊκών Προγραμμάτων",
        "Directorate of Planning, Development and European Programmes",
        "directorate",
        ("Νικόλαος", "Σπανουδάκης"),
        [
            (
                "PROG-ORG",
                "Τμήμα Προγραμματισμού & Οργάνωσης",
                "Planning and Organisation Department",
            ),
            ("PROG-EUR", "Τμήμα Ευρωπαϊκών Προγραμμάτων", "European Programmes Department"),
        ],
    ),
    (
        "PSIF",
        "Διεύθυνση Ψηφιακού Μετασχηματισμού",
        "Directorate of Digital Transformation",
        "directorate",
        ("Ελένη", "Τζανάκη"),
        [
            ("PSIF-YPO", "Τμήμα Υποδομών & Δικτύων", "Infrastructure and Networks Department"),
            ("PSIF-EFA", "Τμήμα Εφαρμογών", "Applications Department"),
            ("PSIF-GIS", "Τμήμα Γεωγραφικών Πληροφοριακών Συστημάτων", "GIS Department"),
        ],
    ),
    (
        "POLE",
        "Διεύθυνση Πολεοδομίας",
        "Directorate of Urban Planning",
        "directorate",
        ("Δημήτριος", "Χατζάκης"),
        [
            ("POLE-MEL", "Τμήμα Πολεοδομικών Μελετών", "Urban Studies Department"),
            ("POLE-ADE", "Τμήμα Οικοδομικών Αδειών & Ελέγχου", "Building Permits Department"),
            ("POLE-ELK", "Τμήμα Ελέγχου Κατασκευών", "Construction Inspection Department"),
            (
                "POLE-ARX",
                "Τμήμα Τεχνικού Αρχείου & Εξυπηρέτησης Πολιτών",
                "Technical Archive and Citizen Service Department",
            ),
        ],
    ),
    (
        "TEXN",
        "Διεύθυνση Τεχνικών Έργων",
        "Directorate of Technical Works",
        "directorate",
        ("Ιωάννης", "Βασιλάκης"),
        [
            ("TEXN-MEL", "Τμήμα Μελετών", "Studies Department"),
            ("TEXN-KAT", "Τμήμα Κατασκευής Έργων", "Construction Department"),
            ("TEXN-SYN", "Τμήμα Συντήρησης", "Maintenance Department"),
        ],
    ),
    (
        "KATH",
        "Διεύθυνση Καθαριότητας & Ανακύκλωσης",
        "Directorate of Cleaning and Recycling",
        "directorate",
        ("Μιχάλης", "Αλεξάκης"),
        [
            ("KATH-APO", "Τμήμα Αποκομιδής", "Waste Collection Department"),
            ("KATH-ANA", "Τμήμα Ανακύκλωσης", "Recycling Department"),
            ("KATH-OXI", "Τμήμα Κίνησης Οχημάτων", "Fleet Department"),
        ],
    ),
    (
        "PRAS",
        "Διεύθυνση Πρασίνου",
        "Directorate of Parks and Green Spaces",
        "directorate",
        ("Αικατερίνη", "Λαμπράκη"),
        [
            ("PRAS-SYN", "Τμήμα Συντήρησης Πρασίνου", "Green Spaces Maintenance Department"),
            ("PRAS-MEL", "Τμήμα Μελετών Πρασίνου", "Green Spaces Studies Department"),
        ],
    ),
    (
        "KOIN",
        "Διεύθυνση Κοινωνικής Ανάπτυξης",
        "Directorate of Social Development",
        "directorate",
        ("Σοφία", "Δασκαλάκη"),
        [
            ("KOIN-POL", "Τμήμα Κοινωνικής Πολιτικής", "Social Policy Department"),
            ("KOIN-KEN", "Κέντρο Κοινότητας", "Community Centre"),
            ("KOIN-YGE", "Τμήμα Δημόσιας Υγείας", "Public Health Department"),
        ],
    ),
    (
        "PAID",
        "Διεύθυνση Παιδείας & Δια Βίου Μάθησης",
        "Directorate of Education and Lifelong Learning",
        "directorate",
        ("Εμμανουήλ", "Φραγκιαδάκης"),
        [
            ("PAID-KTI", "Τμήμα Σχολικών Κτιρίων", "School Buildings Department"),
            ("PAID-DBM", "Τμήμα Δια Βίου Μάθησης", "Lifelong Learning Department"),
        ],
    ),
    (
        "POLI",
        "Διεύθυνση Πολιτισμού",
        "Directorate of Culture",
        "directorate",
        ("Αναστασία", "Μανωλάκη"),
        [
            ("POLI-EKD", "Τμήμα Πολιτιστικών Εκδηλώσεων", "Cultural Events Department"),
            ("POLI-VIK", "Βικελαία Δημοτική Βιβλιοθήκη", "Vikelaia Municipal Library"),
        ],
    ),
    (
        "DAST",
        "Διεύθυνση Δημοτικής Αστυνομίας",
        "Directorate of Municipal Police",
        "directorate",
        ("Κωνσταντίνος", "Μαρκάκης"),
        [
            ("DAST-KYK", "Τμήμα Ελέγχου Κυκλοφορίας", "Traffic Control Department"),
            (
                "DAST-EMP",
                "Τμήμα Ελέγχου Εμπορικών Δραστηριοτήτων",
                "Commercial Activities Control Department",
            ),
        ],
    ),
    (
        "DPER",
        "Διεύθυνση Δημοτικής Περιουσίας",
        "Directorate of Municipal Property",
        "directorate",
        ("Χαράλαμπος", "Ψαράκης"),
        [
            ("DPER-AKI", "Τμήμα Ακίνητης Περιουσίας", "Real Estate Department"),
            ("DPER-KOI", "Τμήμα Κοινοχρήστων Χώρων", "Public Spaces Department"),
        ],
    ),
    (
        "NOMY",
        "Νομική Υπηρεσία",
        "Legal Service",
        "independent_department",
        ("Ευαγγελία", "Κοκκινάκη"),
        [],
    ),
    (
        "ESEL",
        "Αυτοτελές Τμήμα Εσωτερικού Ελέγχου",
        "Internal Audit Department",
        "independent_department",
        ("Παναγιώτης", "Σταυρακάκης"),
        [],
    ),
    (
        "KEP",
        "Αυτοτελές Τμήμα ΚΕΠ",
        "Citizen Service Centres (KEP)",
        "independent_department",
        ("Ζωή", "Περάκη"),
        [],
    ),
]

# (username, first name, last name, role, job title)
OFFICIALS = [
    ("mayor", "Αλέξης", "Καλοκαιρινός", Role.MAYOR, "Δήμαρχος Ηρακλείου"),
    (
        "deputy",
        "Στέλιος",
        "Μανουσάκης",
        Role.DEPUTY_MAYOR,
        "Αντιδήμαρχος Διοίκησης & Προγραμματισμού",
    ),
    ("secretary", "Αργυρώ", "Ξυλούρη", Role.GENERAL_SECRETARY, ""),
]

# Heads of department: one per directorate's first department, to show that level too.
DEPARTMENT_HEADS = [
    ("PSIF-EFA", "Βασίλειος", "Κουτράκης"),
    ("PROG-ORG", "Χρυσούλα", "Αντωνάκη"),
    ("OIK-ESO", "Θεόδωρος", "Μπαλτζάκης"),
]


def demo_gender(first_name: str) -> str:
    """The gender of a demo person, from the ending of the first name: the demo's names end in
    -α, -η or -ώ for women (Μαρία, Ελένη, Αργυρώ) and otherwise for men (Γεώργιος, Εμμανουήλ).
    Real people's gender is entered in Django admin, never guessed."""
    return "female" if greek_upper(first_name)[-1] in "ΑΗΩ" else "male"


def seed_organisation(*, password: str) -> dict[str, int]:
    """Create the Heraklion organisation and its demo accounts where they are missing."""
    hashed = make_password(password)
    created = {"directorates": 0, "departments": 0, "users": 0}
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in Role.values}
    if not Municipality.objects.exists():
        Municipality.objects.create()  # Heraklion's details are the field defaults

    def ensure_user(username, first, last, role, job_title, **unit):
        gender = demo_gender(first)
        user, new = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "gender": gender,
                "email": f"{username}@heraklion.example",
                "job_title": job_title or role_title(role, gender),
                "password": hashed,
                **unit,
            },
        )
        if new:
            user.groups.add(groups[role])
            created["users"] += 1
        return user

    for order, (code, name, name_en, kind, head, departments) in enumerate(ORGANISATION, 1):
        directorate, new = Directorate.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "kind": kind, "order": order}
        )
        created["directorates"] += new
        for dep_order, (dep_code, dep_name, dep_name_en) in enumerate(departments, 1):
            _department, new = Department.objects.get_or_create(
                code=dep_code,
                defaults={
                    "directorate": directorate,
                    "name": dep_name,
                    "name_en": dep_name_en,
                    "order": dep_order,
                },
            )
            created["departments"] += new
        # The head's title by gender: of a directorate from the role, of an independent
        # department or office in the demo's own words.
        title = ""
        if kind != "directorate":
            female = demo_gender(head[0]) == "female"
            title = f"{'Προϊσταμένη' if female else 'Προϊστάμενος'} Αυτοτελούς Τμήματος"
        head_user = ensure_user(
            f"head-{code.lower()}", *head, Role.HEAD_OF_DIRECTORATE, title, directorate=directorate
        )
        if directorate.head_id is None:
            directorate.head = head_user
            directorate.save(update_fields=["head"])

    for username, first, last, role, job_title in OFFICIALS:
        ensure_user(username, first, last, role, job_title)

    for dep_code, first, last in DEPARTMENT_HEADS:
        department = Department.objects.select_related("directorate").get(code=dep_code)
        head_user = ensure_user(
            f"head-{dep_code.lower()}",
            first,
            last,
            Role.HEAD_OF_DEPARTMENT,
            "",
            directorate=department.directorate,
            department=department,
        )
        if department.head_id is None:
            department.head = head_user
            department.save(update_fields=["head"])

    staff_department = Department.objects.get(code="PSIF-EFA")
    ensure_user(
        "staff",
        "Μαρίνα",
        "Γιαννακάκη",
        Role.STAFF,
        "Πληροφορικός ΠΕ",
        directorate=staff_department.directorate,
        department=staff_department,
    )

    admin, new = User.objects.get_or_create(
        username="admin",
        defaults={
            "first_name": "Διαχειριστής",
            "last_name": "Συστήματος",
            "email": "admin@heraklion.example",
            "password": hashed,
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if new:
        admin.groups.add(groups[Role.ADMINISTRATOR])
        created["users"] += 1

    # The accounts that must use a second factor get an authenticator "app" with a published
    # key, so that a demo needs no phone: `manage.py demo_code` prints the current code.
    for user in User.objects.filter(username__in=DEMO_TWO_FACTOR_USERNAMES):
        TOTPDevice.objects.get_or_create(
            user=user,
            name=APP_DEVICE_NAME,
            defaults={"key": DEMO_TOTP_KEY, "confirmed": True},
        )
    return created


def current_demo_code() -> str:
    """The six-digit code that the demo accounts' authenticator app would show now."""
    return f"{TOTP(bytes.fromhex(DEMO_TOTP_KEY)).token():06d}"
