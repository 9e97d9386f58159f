"""Demo partnerships, organisations and users (`manage.py load_demo`).

Lincolnshire's organisations are the real bodies its plans name (the local area
of the seed documents); the school, the AP provider and every person are made up.
A second, smaller partnership shows that each partnership sees only its own data.
"""

from django.contrib.auth.hashers import make_password

from inclusion.accounts.models import Organisation, Partnership, Role, User
from inclusion.core.demo import demo_get_or_create, register_demo

DEMO_PASSWORD = "demo-password-2026"

LINCOLNSHIRE = {
    "name": "Lincolnshire SEND Partnership",
    "slug": "lincolnshire",
    # Published LA codes (DOMAIN.md): 925 and E10000019 are Lincolnshire.
    "old_la_code": "925",
    "new_la_code": "E10000019",
}
LINCOLNSHIRE_ORGANISATIONS = [
    ("Lincolnshire County Council", "LCC", Organisation.Kind.LOCAL_AUTHORITY),
    # The 2019 action plan names its predecessor, the CCG, as a lead: an alias links them.
    ("NHS Lincolnshire ICB", "ICB", Organisation.Kind.ICB, "CCG, Clinical Commissioning Group"),
    ("Lincolnshire Community Health Services NHS Trust", "LCHS", Organisation.Kind.NHS_TRUST),
    ("Lincolnshire Partnership NHS Foundation Trust", "LPFT", Organisation.Kind.NHS_TRUST),
    ("Fen Lane Primary School", "", Organisation.Kind.SCHOOL),
    ("Wolds Alternative Provision Academy", "", Organisation.Kind.AP_PROVIDER),
    ("Lincolnshire Parent Carer Forum", "LPCF", Organisation.Kind.PARENT_CARER_FORUM),
]
# username, first name, last name, job title, organisation, role
LINCOLNSHIRE_USERS = [
    ("admin", "Alex", "Morgan", "SEND strategy lead", "Lincolnshire County Council", Role.ADMIN),
    (
        "editor",
        "Priya",
        "Shah",
        "SEND improvement officer",
        "Lincolnshire County Council",
        Role.PLAN_EDITOR,
    ),
    (
        "lead",
        "Sam",
        "Okafor",
        "Designated Clinical Officer",
        "NHS Lincolnshire ICB",
        Role.ACTION_LEAD,
    ),
    (
        "viewer",
        "Jo",
        "Bennett",
        "Parent carer forum co-chair",
        "Lincolnshire Parent Carer Forum",
        Role.VIEWER,
    ),
]

RUTLAND = {
    "name": "Rutland SEND Partnership",
    "slug": "rutland",
    "old_la_code": "857",
    "new_la_code": "E06000017",
}
RUTLAND_ADMIN = (
    "rutland-admin",
    "Chris",
    "Hale",
    "SEND service manager",
    "Rutland County Council",
    Role.ADMIN,
)


def _partnership(fields: dict[str, str]) -> Partnership:
    partnership, _ = demo_get_or_create(
        Partnership,
        lookup={"slug": fields["slug"]},
        defaults={k: v for k, v in fields.items() if k != "slug"},
    )
    return partnership


def _organisation(
    partnership: Partnership, name: str, short_name: str, kind: str, aliases: str = ""
) -> Organisation:
    organisation, _ = demo_get_or_create(
        Organisation,
        lookup={"partnership": partnership, "name": name},
        defaults={"short_name": short_name, "kind": kind, "aliases": aliases},
    )
    return organisation


def _user(
    username: str, first: str, last: str, job_title: str, organisation: Organisation, role: str
) -> User:
    user, _ = demo_get_or_create(
        User,
        lookup={"username": username},
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.org",
            "job_title": job_title,
            "organisation": organisation,
            "role": role,
        },
        # Hashing is slow on purpose: only for a user about to be created.
        lazy_defaults=lambda: {"password": make_password(DEMO_PASSWORD)},
        audit_snapshot=False,
    )
    return user


def load_partnerships() -> list[str]:
    lincolnshire = _partnership(LINCOLNSHIRE)
    organisations = {
        name: _organisation(lincolnshire, name, short, kind, *aliases)
        for name, short, kind, *aliases in LINCOLNSHIRE_ORGANISATIONS
    }
    users = [
        _user(username, first, last, job, organisations[org], role)
        for username, first, last, job, org, role in LINCOLNSHIRE_USERS
    ]
    rutland = _partnership(RUTLAND)
    username, first, last, job, org, role = RUTLAND_ADMIN
    users.append(
        _user(
            username,
            first,
            last,
            job,
            _organisation(rutland, org, "RCC", Organisation.Kind.LOCAL_AUTHORITY),
            role,
        )
    )

    lines = [f"Demo logins (password for each: {DEMO_PASSWORD}):"]
    for user in users:
        lines.append(f"  {user.username:<14} {user.get_role_display():<24} {user.partnership}")
    return lines


register_demo("accounts: partnerships, organisations and users", load_partnerships, order=10)
