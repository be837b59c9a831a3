"""The titles of the published tables and the names of the dashboard's filters: English msgids
(translated in locales/*.po), shared by the pages and the generated reports."""

# The English msgid of each table's title (translated in locales/*.po).
TITLES = {
    "day": "Calls by day",
    "week": "Calls by week",
    "month": "Calls by month",
    "quarter": "Calls by quarter",
    "year": "Calls by year",
    "line": "Calls by line",
    "hour": "Calls by hour of day",
    "caller_role": "Calls by caller role",
    "purpose": "Calls by purpose",
    "motive": "Calls by motive",
    "destination_country": "Calls by destination country",
    "citizenship": "Calls by citizenship",
    "country": "Calls by caller's country",
    "region": "Calls by caller's region",
    "sex": "Calls by sex",
    "age_group": "Calls by age group",
    "language": "Calls by language",
    "risk_level": "Calls by risk level",
    "exploitation_type": "Calls by type of exploitation",
    "method_of_control": "Calls by method of control",
    "service_type": "Referrals by service type",
    "organisation": "Referrals by organisation",
    "referral_region": "Referrals by region",
    "outcome": "Referrals by outcome",
}
FILTER_LABELS = {
    "line": "Line",
    "caller_role": "Caller role",
    "purpose": "Purpose",
    "sex": "Sex",
    "age_group": "Age group",
    "country": "Caller's country",
    "region": "Caller's region",
    "risk_level": "Risk level",
}


def title_of(table_name: str, dimension: str) -> str:
    """The msgid of a table's title (referrals by region has its own)."""
    return TITLES[
        "referral_region" if table_name == "referrals_by_region" or dimension == "referral_region" else dimension
    ]
