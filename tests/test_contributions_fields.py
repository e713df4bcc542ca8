"""Field readers of the contributions import: dates, SDGs, places, names, websites."""

from datetime import date

import pytest

from sdgtrack.contributions.dates import parse_dates
from sdgtrack.contributions.fields import parse_places, parse_websites, split_names, store_resolver
from sdgtrack.contributions.sdgs import parse_sdgs

ALL = list(range(1, 18))


def spans(text, year=2023):
    dates, problems = parse_dates(text, default_year=year)
    return [(s.start, s.end, s.open_end, s.precision) for s in dates.spans], problems


@pytest.mark.parametrize(
    "text, expected",
    [
        ("13 to 17 November 2023", [(date(2023, 11, 13), date(2023, 11, 17), False, "day")]),
        ("20/Nov – 15/Dec 2023", [(date(2023, 11, 20), date(2023, 12, 15), False, "day")]),
        ("2021-to present", [(date(2021, 1, 1), None, True, "year")]),
        (
            "7 March 2023; 7 July 2023; 13 September 2023",
            [
                (date(2023, 3, 7), date(2023, 3, 7), False, "day"),
                (date(2023, 7, 7), date(2023, 7, 7), False, "day"),
                (date(2023, 9, 13), date(2023, 9, 13), False, "day"),
            ],
        ),
        (
            "13-17 March 2023 Hybrid Week\n\nVirtual Workshops in April and May 2023",
            [
                (date(2023, 3, 13), date(2023, 3, 17), False, "day"),
                (date(2023, 4, 1), date(2023, 4, 30), False, "month"),
                (date(2023, 5, 1), date(2023, 5, 31), False, "month"),
            ],
        ),
        ("May 2-4, 2024", [(date(2024, 5, 2), date(2024, 5, 4), False, "day")]),
        ("October 10 to 12, 2023", [(date(2023, 10, 10), date(2023, 10, 12), False, "day")]),
        ("2023-05-02", [(date(2023, 5, 2), date(2023, 5, 2), False, "day")]),
        ("02/05/2023", [(date(2023, 5, 2), date(2023, 5, 2), False, "day")]),  # day first, as the UN writes
        ("between 26 September and 14 October 2022", [(date(2022, 9, 26), date(2022, 10, 14), False, "day")]),
        ("20 December 2024 - 5 January 2025", [(date(2024, 12, 20), date(2025, 1, 5), False, "day")]),
        ("20 December - 5 January 2025", [(date(2024, 12, 20), date(2025, 1, 5), False, "day")]),
        ("Since March 2022 - ongoing", [(date(2022, 3, 1), None, True, "month")]),
        ("Q3 2025", [(date(2025, 7, 1), date(2025, 9, 30), False, "month")]),
        (
            "12 and 13 June 2024",
            [
                (date(2024, 6, 12), date(2024, 6, 12), False, "day"),
                (date(2024, 6, 13), date(2024, 6, 13), False, "day"),
            ],
        ),
    ],
)
def test_dates_read_as_a_person_would(text, expected):
    got, problems = spans(text)
    assert got == expected
    assert problems == []


def test_dates_labels_missing_years_and_nonsense():
    dates, _ = parse_dates("13-17 March 2023 Hybrid Week\nVirtual Workshops in April and May 2023")
    assert [s.label for s in dates.spans] == ["Hybrid Week", "Virtual Workshops", "Virtual Workshops"]
    assert (dates.start, dates.end) == (date(2023, 3, 13), date(2023, 5, 31))
    got, problems = spans("16 May", year=2024)
    assert got == [(date(2024, 5, 16), date(2024, 5, 16), False, "day")]
    assert problems == ["no year in '16 May': assumed 2024"]
    got, problems = spans("31/02/2023")
    assert got == [] and "not a calendar date" in problems[0]
    got, problems = spans("ongoing")
    assert got == [] and problems == ["no date found in 'ongoing'"]
    assert spans("TBD") == ([], [])


@pytest.mark.parametrize(
    "text, goals, targets, primary",
    [
        ("All 17 SDGs", ALL, [], []),
        ("17 SDGs", ALL, [], []),
        ("All", ALL, [], []),
        ("SDG 6, 11, 13", [6, 11, 13], [], []),
        ("SDG11", [11], [], []),
        ("SDG 9, SDG 13, SDG 11,", [9, 11, 13], [], []),
        ("SDG 1, 2, ..., 17", ALL, [], []),
        ("SDG 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17", ALL, [], []),
        ("Radiocommunications impact all SDGs, more directly SDG 9 on infrastructure", ALL, [], [9]),
        ("All Goals, in particular SDG 14 and SDG 13", ALL, [], [13, 14]),
        ("Goals 6 and 13", [6, 13], [], []),
        ("SDGs 1-5 and 17", [1, 2, 3, 4, 5, 17], [], []),
        ("SDG 6.1, 6.2 and 11.5", [6, 11], ["6.1", "6.2", "11.5"], []),
        ("SDG 9.1, 11.2 and target 9.c", [9, 11], ["9.1", "9.c", "11.2"], []),
        ("6, 11", [6, 11], [], []),
    ],
)
def test_sdg_fields(text, goals, targets, primary):
    ref, problems = parse_sdgs(text)
    assert (ref.goals, ref.targets, ref.primary) == (goals, targets, primary)
    assert ref.all_goals == (goals == ALL)
    assert problems == []


def test_sdg_fields_that_cannot_be_read_are_reported():
    ref, problems = parse_sdgs("Health and wellbeing")
    assert ref.goals == [] and problems == ["no SDG number found"]
    ref, problems = parse_sdgs("SDG 14 (life below water), SDG 18")
    assert ref.goals == [14] and problems == ["not an SDG number: 18"]
    assert parse_sdgs("") == (parse_sdgs("")[0], [])


def test_places_resolve_countries_to_m49(db):
    resolve = store_resolver(db)

    def read(text):
        places, problems = parse_places(text, resolve)
        return [(p.mode, p.city, p.area, p.iso3) for p in places], problems

    assert read("Dubai, UAE") == ([("in_person", "Dubai", "784", "ARE")], [])
    assert read("Geneva, Switzerland") == ([("in_person", "Geneva", "756", "CHE")], [])
    assert read("New York, USA") == ([("in_person", "New York", "840", "USA")], [])
    assert read("Virtual") == ([("virtual", None, None, None)], [])
    assert read("Riyadh, Kingdom of Saudi Arabia; Shanghai, China; Arusha, Tanzania") == (
        [
            ("in_person", "Riyadh", "682", "SAU"),
            ("in_person", "Shanghai", "156", "CHN"),
            ("in_person", "Arusha", "834", "TZA"),
        ],
        [],
    )
    assert read("Paris and Lyon, France")[0] == [
        ("in_person", "Paris", "250", "FRA"),
        ("in_person", "Lyon", "250", "FRA"),
    ]
    assert read("Hybrid (Geneva, Switzerland and online)")[0] == [("hybrid", "Geneva", "756", "CHE")]
    assert read("Kenya")[0] == [("in_person", None, "404", "KEN")]
    assert read("In-person and online")[0] == [("hybrid", None, None, None)]
    places, problems = read("Atlantis, Neverland")
    assert places == [("in_person", "Atlantis", None, None)]
    assert problems == ["country 'Neverland' in 'Atlantis, Neverland' is not a known area; kept as written"]


def test_names_and_websites():
    assert split_names("Coordinated by ITU, UNECE and UN-Habitat, and supported by CBD, ECLAC and WMO.") == [
        "ITU",
        "UNECE",
        "UN-Habitat",
        "CBD",
        "ECLAC",
        "WMO",
    ]
    assert split_names(
        "Developed by ITU in close collaboration with United Nations Department of Economic and "
        "Social Affairs (UNDESA); International Energy Agency (IEA)"
    ) == [
        "ITU",
        "United Nations Department of Economic and Social Affairs (UNDESA)",
        "International Energy Agency (IEA)",
    ]
    assert parse_websites("https://a.org/x\n\nhttps://b.org/y ") == (["https://a.org/x", "https://b.org/y"], [])
    assert parse_websites("www.x.org/handbook.") == (["https://www.x.org/handbook"], [])
    assert parse_websites("forthcoming") == ([], ["forthcoming"])
    assert parse_websites("N/A") == ([], [])
