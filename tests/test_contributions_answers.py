"""Two invented answers in the published layout, worded differently from ITU's, and bad inputs."""

from datetime import date

import pytest

import sdgtrack
from sdgtrack import UserInputError
from sdgtrack.contributions import Registry

from .conftest import FIXTURES

ANSWERS = FIXTURES / "contributions"
ALL = list(range(1, 18))


@pytest.fixture(scope="module")
def reg(tmp_path_factory):
    # one store for the module: these tests only parse, or check that nothing was stored
    database = sdgtrack.Database(tmp_path_factory.mktemp("answers") / "answers.duckdb")
    yield Registry(database)
    database.close()


def test_wwco_answer(reg):
    sub = reg.parse_file(ANSWERS / "wwco-2024.txt")
    assert (sub.entity, sub.entity_code, sub.year, sub.id) == (
        "World Water Coordination Office",
        "WWCO",
        2024,
        "WWCO/2024/2023",
    )
    kinds = [r.kind for r in sub.records]
    assert kinds.count("event") == 4 and kinds.count("resource") == 1 and kinds.count("hii") == 1
    assert [(d.name, d.lines) for d in sub.duplicates] == [("Basin Managers Week", "104-126")]

    dec = sub.records[0]
    assert dec.body == "Governing Council of the World Water Coordination Office"
    assert (dec.dates.start, [(p.city, p.area) for p in dec.places]) == (date(2024, 3, 4), [("Nairobi", "404")])
    assert dec.topics == [
        "Drought early warning for all by 2027",
        "Safely managed sanitation in informal settlements",
        "Transboundary water cooperation",
    ]
    assert [(r.label, r.number, r.session, r.title) for r in dec.resolutions] == [
        ("Decision", "GC.12/3", "Nairobi, 2024", "Water security strategy 2024-2029"),
        ("Decision", "GC.12/7", "Nairobi, 2024", "Budget and programme of work for 2024-2025"),
    ]

    ev = {r.name: r for r in sub.records if r.kind == "event"}
    dialogue = ev["Regional Dialogue on Drought Resilience"]  # labels with the value on the same line
    assert (dialogue.dates.start, dialogue.dates.end) == (date(2024, 5, 2), date(2024, 5, 4))
    assert [(p.mode, p.city, p.area) for p in dialogue.places] == [("hybrid", "Nairobi", "404")]
    assert dialogue.sdgs.goals == [6, 13]
    assert dialogue.websites == ["https://wwco.example.org/drought-dialogue-2024"]

    clinic = ev["Water Data Clinic series"]
    assert (clinic.dates.start, clinic.dates.open_end) == (date(2022, 3, 1), True)
    assert clinic.sdgs.targets == ["6.1", "6.2", "11.5"] and clinic.sdgs.goals == [6, 11]
    assert clinic.websites == [] and not clinic.warnings  # a blank website field is normal

    forum = ev["Sanitation Finance Forum"]
    assert [s.start for s in forum.dates.spans] == [date(2024, 6, 12), date(2024, 6, 13)]
    assert [(p.city, p.area) for p in forum.places] == [("Paris", "250"), ("Lyon", "250")]
    assert forum.sdgs.goals == [1, 2, 3, 4, 5, 17]
    assert forum.over_limit and forum.word_count == 158
    assert forum.unparsed == ["website: forthcoming"]

    basin = ev["Basin Managers Week"]
    assert basin.sdgs.goals == [] and basin.unparsed == ["SDGs: Health and wellbeing"]
    assert "SDGs: no SDG number found" in basin.warnings

    (handbook,) = [r for r in sub.records if r.kind == "resource"]
    assert handbook.publishers == ["WWCO", "World Meteorological Organization (WMO)", "UN-Water"]
    assert handbook.audience == ["Water ministries", "basin authorities", "climate negotiators"]
    assert handbook.languages == ["English", "French", "Spanish"]
    assert handbook.websites == ["https://www.wwco.example.org/handbook"]

    (hii,) = [r for r in sub.records if r.kind == "hii"]
    assert (hii.initiative, hii.subtitle, hii.role) == (
        "Food Systems Transformation",
        "Nourishing people and planet",
        "co-lead",
    )
    (par,) = [r for r in sub.records if r.kind == "partnership"]
    assert par.beneficiary_areas == ["404", "800", "834"] and not par.beneficiaries_all
    recs = [(r.theme, r.group) for r in sub.records if r.kind == "recommendation"]
    assert recs == [("data", ""), ("interlinkages", "")]  # themes from the prompts they sit under


def test_crp_answer_needs_the_year_and_keeps_what_it_cannot_read(reg):
    with pytest.raises(UserInputError, match="cannot tell the year.*pass --year"):
        reg.parse_file(ANSWERS / "crp-2025.txt")
    sub = reg.parse_file(ANSWERS / "crp-2025.txt", year=2025)  # CRLF line ends, "1)" numbering, no code
    assert (sub.entity, sub.entity_code, sub.id) == (
        "Coastal Resilience Programme",
        "",
        "COASTAL-RESILIENCE-PROGRAMME/2025/2023",
    )
    assert [r.kind for r in sub.records] == ["event"] * 3 + ["partnership"] + ["recommendation"] * 2
    summit, training, reef = sub.records[:3]
    assert (summit.dates.start, summit.dates.end) == (date(2024, 12, 20), date(2025, 1, 5))
    assert [(p.mode, p.city, p.area) for p in summit.places] == [
        ("hybrid", "Suva", "242"),
        ("hybrid", "Apia", "882"),
        ("virtual", None, None),
    ]
    assert (summit.sdgs.all_goals, summit.sdgs.primary) == (True, [13, 14])
    assert len(summit.websites) == 2
    assert (training.dates.start, training.dates.end) == (date(2025, 7, 1), date(2025, 9, 30))
    assert training.sdgs.goals == [14] and "SDGs: not an SDG number: 18" in training.warnings
    assert (reef.dates.start, reef.dates.open_end) == (date(2020, 1, 1), True)
    assert reef.places[0].area is None and reef.places[0].country == "Neverland"
    assert any("Neverland" in w for w in reef.warnings)
    assert sub.records[3].beneficiary_areas == ["242", "882", "776"]
    assert [r.theme for r in sub.records[4:]] == ["follow-up and review", "data"]
    # "No.", "No resources ...", "Not applicable." are kept as notes
    assert len(sub.notes) == 3 and any("No resources were published" in n for n in sub.notes)


def test_entity_and_year_options_override(reg):
    sub = reg.parse_file(ANSWERS / "wwco-2024.txt", entity="Water Office", year=2025)
    assert (sub.entity, sub.year) == ("Water Office", 2025)
    assert any("stored as 2025" in w for w in sub.warnings)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "the file is empty"),
        (b"\n \n\n", "only blank lines"),
        (b"series,area,year,value\nSH_DYN_MORT,4,2020,55.1\n", "not a questionnaire answer"),
        (b"Dear colleagues,\n\nplease find our report attached.\n", "not a questionnaire answer"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"caf\xe9\x81\x81\xfe\xff", "not UTF-8 text"),
    ],
)
def test_bad_input_one_message_nothing_stored(reg, tmp_path, content, message):
    path = tmp_path / "answer.txt"
    path.write_bytes(content)
    with pytest.raises(UserInputError, match=message):
        reg.import_file(path)
    assert reg.con.execute("SELECT count(*) FROM contribution_submission").fetchone()[0] == 0


def test_huge_file_refused_before_reading(reg, tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # 50 MB, sparse
    with pytest.raises(UserInputError, match=r"52\.4 MB is too big"):
        reg.import_file(path)
    assert reg.con.execute("SELECT count(*) FROM contribution_record").fetchone()[0] == 0
