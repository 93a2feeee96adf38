"""The Chinese and Japanese lexicon checked against dictionaries others wrote
(scripts/dictionary_gaps.py), on small files in each dictionary's own format."""

import sqlite3

import pytest


@pytest.fixture(scope="module")
def gaps_script(script):
    return script("dictionary_gaps")


def test_a_chinese_word_for_a_node_the_lexicon_cannot_read_is_a_gap(gaps_script, tmp_path):
    module = gaps_script
    cedict = tmp_path / "cedict.txt"
    cedict.write_text(
        "# CC-CEDICT\n"
        "注塑 注塑 [zhu4 su4] /injection molding/\n"  # read: plastic injection
        "某某 某某 [mou3 mou3] /injection molding/\n"  # an invented word the lexicon cannot know
        "海豹 海豹 [hai3 bao4] /seal (animal)/\n"  # "seal" is a rubber part's word too: listed, for review
        "马 马 [ma3] /horse/\n",  # one character: never a headword here
        encoding="utf-8",
    )
    from indexer.taxonomy import default_taxonomy

    seen, missed = module.gaps(default_taxonomy(), module.cedict_entries(cedict))
    words = {headword: node for node, _, headword, _ in missed}
    assert words.get("某某") == "plastic_injection"
    assert "注塑" not in words and "马" not in words
    assert words.get("海豹") == "technical_rubber"
    assert seen >= 3


def test_japanese_words_come_from_kanji_forms_and_loanwords_of_the_first_sense(gaps_script, tmp_path):
    module = gaps_script
    db = sqlite3.connect(tmp_path / "jamdict.db")
    db.executescript(
        """
        CREATE TABLE Kanji (ID INTEGER PRIMARY KEY, idseq INTEGER, text TEXT);
        CREATE TABLE Kana (ID INTEGER PRIMARY KEY, idseq INTEGER, text TEXT, nokanji BOOLEAN);
        CREATE TABLE Sense (ID INTEGER PRIMARY KEY, idseq INTEGER);
        CREATE TABLE SenseGloss (sid INTEGER, lang TEXT, gend TEXT, text TEXT);
        INSERT INTO Kanji VALUES (1, 10, '鍍金');
        INSERT INTO Kana VALUES (1, 10, 'めっき', 0), (2, 20, 'ギャスケット', 1);
        INSERT INTO Sense VALUES (100, 10), (200, 20), (201, 20);
        INSERT INTO SenseGloss VALUES (100, 'eng', '', 'plating'), (200, 'eng', '', 'gasket'),
            (201, 'eng', '', 'seal');
        """
    )
    db.commit()
    entries = dict(module.jmdict_entries(tmp_path / "jamdict.db"))
    # No kana of a word written in kanji, no later sense.
    assert entries == {"鍍金": ["plating"], "ギャスケット": ["gasket"]}


def test_glosses_compare_as_terms_do(gaps_script):
    module = gaps_script
    assert module.gloss_key("to forge (metal)") == "forge"
    assert module.gloss_key("Aluminium  die-casting mould") == "aluminum die-casting mold"
