"""Word lists as data files (eventwire/data/words), and a user's folder of lists by config."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from eventwire import words
from eventwire.config import ConfigError
from eventwire.model import Document
from eventwire.pipeline import Pipeline

FUTURE = "Rebels will attack the army base near Gao, a spokesman said."


@pytest.fixture
def shipped_lists_after() -> Iterator[None]:
    yield
    words.use_folder(None)


def test_every_shipped_list_says_its_source_and_licence_and_has_words() -> None:
    names = words.shipped_names()
    assert len(names) >= 80
    root = resources.files("eventwire").joinpath("data/words")
    files = sorted(p.name for p in root.iterdir() if p.name.endswith((".txt", ".tsv")))
    assert [f.rsplit(".", 1)[0] for f in files] == names
    for file in files:
        name, ext = file.rsplit(".", 1)
        text = root.joinpath(file).read_text("utf-8")
        header = [line for line in text.splitlines() if line.startswith("#")]
        assert header[0].startswith(f"# {name}: "), name
        assert any("Source:" in h and "Licence:" in h for h in header), name
        if ext == "txt":
            assert words.parse(text), name
            assert words.word_list(name) == words.parse(text)
        else:
            assert words.word_map(name) == words.parse_map(text)


def test_the_coding_modules_hold_the_lists_themselves() -> None:
    from eventwire.coding import modality
    from eventwire.size import casualties

    assert modality.FUTURE_AUX is words.word_list("modality.future_aux")
    assert {"will", "shall"} <= modality.FUTURE_AUX
    assert "die" in casualties.INTRANSITIVE


def test_list_names_and_files_are_checked(tmp_path: Path) -> None:
    with pytest.raises(words.WordListError, match="names are lower-case words"):
        words.word_list("../etc/passwd")
    with pytest.raises(words.WordListError, match=r"no file data/words/modality\.nothing\.txt"):
        words.word_list("modality.nothing")
    with pytest.raises(words.WordListError, match="no such folder"):
        words.use_folder(tmp_path / "absent")


def test_a_config_pointing_at_another_word_list_changes_the_coding(
    pipeline: Pipeline, tmp_path: Path, shipped_lists_after: None
) -> None:
    shipped = pipeline.process(Document("d", FUTURE)).events
    assert [(e.event, e.mode) for e in shipped] == [(["THREATEN"], ["violence"])]  # "will attack": a threat
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "modality.future_aux.txt").write_text("# no 'will' here\nshall\n")
    (tmp_path / "mine.toml").write_text('[words]\nfolder = "lists"\n')
    mine = Pipeline(config=tmp_path / "mine.toml")
    assert words.word_list("modality.future_aux") == {"shall"}
    assert "expect" in words.word_list("expressions.future_lemmas")  # the lists it does not hold stay as shipped
    assert [e.event for e in mine.process(Document("d", FUTURE)).events] == [["ASSAULT"]]
    Pipeline()  # the shipped lists again
    assert words.folder() is None and "will" in words.word_list("modality.future_aux")


def test_a_missing_words_folder_is_a_config_error(tmp_path: Path, shipped_lists_after: None) -> None:
    with pytest.raises(ConfigError, match=r"words\.folder: word-list folder .*nowhere: no such folder"):
        Pipeline(config={"words": {"folder": str(tmp_path / "nowhere")}})


def test_word_maps_keep_their_order_and_check_their_lines(tmp_path: Path, shipped_lists_after: None) -> None:
    from eventwire.coding import coder
    from eventwire.ontology import weapon_modes

    weapons = words.word_map("coder.weapon_modes")
    assert coder.WEAPON_MODES is weapons
    assert set(weapons.values()) <= set(weapon_modes("ASSAULT"))  # every value is a mode of the ontology
    assert list(words.word_map("expressions.relation_words"))[:2] == ["since", "until"]
    with pytest.raises(words.WordListError, match="is a word map"):
        words.word_list("coder.weapon_modes")
    (tmp_path / "coder.weapon_modes.tsv").write_text("# mine\nslingshot\tprimitive\nbroken line\n")
    with pytest.raises(words.WordListError, match=r"coder\.weapon_modes\.tsv line 3: expected 'word<TAB>value'"):
        words.use_folder(tmp_path)
    assert words.folder() is None and weapons["rocket"] == "heavy-weapons"  # left as they were
    (tmp_path / "coder.weapon_modes.tsv").write_text("slingshot\tprimitive\n")
    words.use_folder(tmp_path)
    assert dict(coder.WEAPON_MODES) == {"slingshot": "primitive"}


def test_each_shipped_list_is_read_by_the_code_and_none_is_a_copy_of_another() -> None:
    """One list per idea: a list no module reads is dead, and two lists with the same words are
    one list kept twice (they drift apart)."""
    folder = Path(words.__file__).parent / "data" / "words"
    src = "\n".join(p.read_text(encoding="utf-8") for p in Path(words.__file__).parent.rglob("*.py"))
    contents: dict[frozenset[str], str] = {}
    for path in sorted(folder.glob("*.t[xs][tv]")):
        name = path.stem
        assert f'"{name}"' in src, f"{name}: no module reads it"
        lines = frozenset(
            line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")
        )
        assert lines not in contents, f"{name} holds the same words as {contents.get(lines)}"
        contents[lines] = name
