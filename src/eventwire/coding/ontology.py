"""PLOVER event types, quad codes, CAMEO roots and ACLED event types and sub-types.

The names are PLOVER's (openeventdata/PLOVER, the current 16 types) and ACLED's own strings.
"""

from __future__ import annotations

EVENT_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
    "REQUEST", "ACCUSE", "REJECT", "THREATEN",
    "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip

QUAD_CODES: dict[str, int] = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1,
    "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "SANCTION": 3,
    "PROTEST": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}  # fmt: skip

CAMEO_ROOTS: dict[str, str] = {
    "AGREE": "03", "CONSULT": "04", "SUPPORT": "05", "COOPERATE": "06", "AID": "07",
    "CONCEDE": "08", "RETREAT": "087", "REQUEST": "10", "ACCUSE": "11", "REJECT": "12",
    "THREATEN": "13", "PROTEST": "14", "MOBILIZE": "15", "SANCTION": "16", "COERCE": "17",
    "ASSAULT": "19",
}  # fmt: skip

AUXILIARY_MODES: tuple[str, ...] = ("historical", "future", "hypothetical", "negation")

# PLOVER contexts (the 'why' of an event).
CONTEXTS: tuple[str, ...] = (
    "political", "military", "intelligence", "executive", "legislative", "election", "legal",
    "economic", "trade", "resource", "diplomatic", "international", "government", "rights",
    "migration", "refugee", "humanitarian", "health", "disaster", "environment", "terrorism",
    "crime", "cyber", "corruption", "protest", "gender", "religion", "ethnic", "kidnapping",
    "cbrn", "technology", "transportation", "infrastructure", "historical", "discrimination",
    "peacekeeping", "border",
)  # fmt: skip

ACLED_SUB_EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED", "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction",
        "Non-violent transfer of territory", "Other",
    ),
}  # fmt: skip

STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "LEG", "JUD", "SPY"})
ARMED_NONSTATE = frozenset({"REB", "PRM", "UAF", "CRM"})
CIVILIAN_SECTORS = frozenset({"CVL", "REF", "JRN", "EDU", "HLH", "LAB", "REL", "BUS", "NGO", "AGR", "MED"})


def quad_code(event_type: str) -> int | None:
    return QUAD_CODES.get(event_type)


def acled_types(
    event_type: str,
    mode: str | None,
    actor_sectors: set[str],
    recipient_sectors: set[str],
    *,
    territory: bool = False,
    intervention: bool = False,
) -> tuple[str | None, str | None]:
    """ACLED event type and sub-type for a coded event, or (None, None) where ACLED would not code it."""
    if event_type == "ASSAULT":
        if mode == "aerial":
            return "Explosions/Remote violence", "Air/drone strike"
        if mode == "heavy-weapons" and not territory:
            return "Explosions/Remote violence", "Shelling/artillery/missile attack"
        if mode == "explosives":
            return "Explosions/Remote violence", "Remote explosive/landmine/IED"
        if mode == "suicide-attack":
            return "Explosions/Remote violence", "Suicide bomb"
        if mode == "grenade":
            return "Explosions/Remote violence", "Grenade"
        if mode == "cbrn":
            return "Explosions/Remote violence", "Chemical weapon"
        if mode == "sexual":
            return "Violence against civilians", "Sexual violence"
        if territory:
            if actor_sectors & ARMED_NONSTATE:
                return "Battles", "Non-state actor overtakes territory"
            return "Battles", "Government regains territory"
        if mode in ("assassinate", "targeted", "other"):
            return None, None  # how it was carried out is not said
        civilian_target = bool(recipient_sectors) and recipient_sectors <= CIVILIAN_SECTORS
        if civilian_target:
            return "Violence against civilians", "Attack"
        if mode in ("firearms", None, "beat", "primitive", "torture"):
            armed_both = (actor_sectors & (STATE_SECTORS | ARMED_NONSTATE)) and (
                recipient_sectors & (STATE_SECTORS | ARMED_NONSTATE)
            )
            if armed_both or mode == "firearms":
                return "Battles", "Armed clash"
        return None, None
    if event_type == "PROTEST":
        if mode and mode.startswith("riot"):
            return "Riots", "Violent demonstration"
        if intervention:
            return "Protests", "Protest with intervention"
        return "Protests", "Peaceful protest"
    if event_type == "COERCE":
        if mode == "arrest":
            return "Strategic developments", "Arrests"
        if mode == "abduct":
            return "Violence against civilians", "Abduction/forced disappearance"
        if mode == "destroy":
            return "Strategic developments", "Looting/property destruction"
        return None, None
    if event_type == "RETREAT" and mode == "withdraw":
        return "Strategic developments", "Non-violent transfer of territory"
    if event_type == "AGREE" and mode == "ceasefire":
        return "Strategic developments", "Agreement"
    if event_type == "RETREAT" and mode == "ceasefire":
        return "Strategic developments", "Agreement"
    return None, None


ASSAULT_CAMEO_BY_MODE: dict[str, str] = {
    "aerial": "195",
    "heavy-weapons": "195",
    "explosives": "183",
    "suicide-attack": "1831",
    "firearms": "190",
    "assassinate": "186",
    "targeted": "186",
    "beat": "182",
    "torture": "1822",
    "sexual": "1821",
    "primitive": "182",
    "cbrn": "204",
    "grenade": "183",
    "other": "20",
}


def cameo_code(event_type: str, mode: str | None, lexicon_code: str | None) -> str | None:
    """The CAMEO code for a coded event: the lexicon's code when it agrees with the final type,
    else the code implied by the type and mode."""
    if event_type == "ASSAULT":
        if mode in ASSAULT_CAMEO_BY_MODE:
            return ASSAULT_CAMEO_BY_MODE[mode]
        if lexicon_code and lexicon_code[:2] in ("18", "19", "20"):
            return lexicon_code
        return "190"
    if event_type == "THREATEN":
        return "138" if mode == "violence" else "13"
    root = CAMEO_ROOTS.get(event_type)
    if lexicon_code and root and lexicon_code.startswith(root[:2]):
        return lexicon_code
    if lexicon_code and event_type == "ACCUSE" and lexicon_code.startswith("09"):
        return lexicon_code
    if lexicon_code and event_type in ("RETREAT", "CONCEDE") and lexicon_code.startswith("08"):
        return lexicon_code
    return root
