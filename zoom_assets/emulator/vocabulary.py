"""Word lists the synthetic account draws from.

Names and topics deliberately include non-ASCII text, apostrophes and emoji so that every layer
below the API (JSON, DuckDB, the UI) is exercised with real-world strings.
"""

FIRST_NAMES = (
    "Jill", "Sam", "José", "Zoë", "Łukasz", "Søren", "Ana", "Chen", "Priya", "Olúwadámilọ́lá",
    "Dmitri", "Дмитрий", "Aiko", "李", "Fatima", "Noah", "Émilie", "Björn", "Mei", "Kwame",
    "Ingrid", "Mateo", "Hana", "Yusuf", "Siobhán", "Thảo", "Lars", "Amara", "Ravi", "Grace",
)  # fmt: skip

LAST_NAMES = (
    "Chill", "Park", "García", "Müller", "Kowalski", "Ørsted", "Silva", "Wang", "Sharma",
    "O'Brien", "Ivanov", "Петров", "Tanaka", "明", "Haddad", "Smith", "Lefèvre", "Nyström",
    "Nguyễn", "Mensah", "Berg", "Rossi", "Kim", "Yildiz", "Ní Bhriain", "Okafor", "Patel",
    "Johansson", "Dubois", "Cohen",
)  # fmt: skip

DEPARTMENTS = (
    "Sales", "Engineering", "Support", "Finance", "Forschung & Entwicklung", "Marketing",
    "人事", "", "Operations", "Legal",
)  # fmt: skip

# Offsets that are not whole hours (Kolkata, Adelaide) and ones far from UTC in both directions
# (Auckland, Honolulu) make "which day does this meeting belong to" non-trivial.
TIMEZONES = (
    "America/New_York", "Europe/Berlin", "Asia/Tokyo", "Asia/Kolkata", "Pacific/Auckland",
    "America/Los_Angeles", "UTC", "Australia/Adelaide", "Pacific/Honolulu", "Europe/London",
)  # fmt: skip

TOPICS = (
    "Weekly sync", "Customer call", "Réunion d'équipe", "週次定例", "1:1 ✨", "Quarterly review",
    "Standup", "Planungsrunde", "Interview: backend", "All hands", "Design critique",
    "Support escalation", "Onboarding", "Retro \"what went well\"",
)  # fmt: skip

GUEST_NAMES = (
    "Guest Caller", "iPhone", "Galaxy S24", "Conference Room B", "+1 415 555 0101", "Invité",
    "ゲスト",
)  # fmt: skip

CLIENT_VERSIONS = (
    "5.17.5.31030(mac)", "5.16.10.26186(win)", "6.0.2.33403(android)", "5.17.11.34827(iphone)",
)  # fmt: skip
