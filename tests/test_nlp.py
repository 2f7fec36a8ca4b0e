"""The nlp stage: language detection, the parse, sentences, and the actor entity ruler."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from eventcoder.config import PipelineConfig
from eventcoder.model import Article, Document
from eventcoder.nlp import RULER_NAME, PhraseTable, detect_language, load_spacy, make_nlp


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Gunmen killed two soldiers in the town of al-Dana on Tuesday, the army said in a "
         "statement, adding that the attackers fled.", "en"),
        ("Des hommes armés ont tué deux soldats dans la ville, selon l'armée et les autorités "
         "locales qui ont confirmé le bilan de cette attaque.", "fr"),
        ("Hombres armados mataron a dos soldados en la ciudad, según el ejército y las "
         "autoridades locales que confirmaron el balance del ataque.", "es"),
        ("Bewaffnete Männer haben zwei Soldaten in der Stadt getötet, wie die Armee und die "
         "örtlichen Behörden mitteilten, die den Angriff bestätigten.", "de"),
        ("قتل مسلحون جنديين في بلدة الدانا يوم الثلاثاء بحسب ما أعلن الجيش", "ar"),
        ("Боевики убили двух солдат в городе во вторник, сообщила армия.", "ru"),
        ("Police fired tear gas.", "en"),
        ("Herders clash with farmers over grazing land near Lake Kyoga after cattle stray "
         "into maize fields belonging to Apac residents", "en"),
        ("On 2 June, shoot-outs between unknown shooters took place in the Vila de Cava, Santa "
         "Cruz da Serra and Jardim da Penha neighbourhoods of Rio de Janeiro.", "en"),
        ("Gewapende mannen hebben twee soldaten gedood in de stad, zei het leger in een "
         "verklaring aan de pers van de regio.", "nl"),
        ("2024 - 17 - 33", "unknown"),
    ],
    ids=["en", "fr", "es", "de", "ar", "ru", "short-en", "headline-en", "names-en", "nl",
         "no-letters"],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_english_with_foreign_names_is_still_english() -> None:
    text = (
        "The statement said that the groups of Faylaq al-Sham, Jaish al-Nasr and al-Oula "
        "al-Saheliyeh have formed a new coalition in Idlib province on Tuesday."
    )
    assert detect_language(text) == "en"


Stage = Callable[[Document], Document]


@pytest.fixture(scope="module")
def stage() -> Stage:
    return make_nlp(PipelineConfig())


def _doc(text: str) -> Document:
    return Document(article=Article(id="t", text=text), text=text)


@pytest.mark.slow
def test_stage_parses_and_splits_sentences(stage: Stage) -> None:
    text = "Police fired tear gas at protesters in Nairobi. Two people were injured."
    doc = stage(_doc(text))
    assert doc.language == "en"
    assert doc.spacy_doc is not None and doc.spacy_doc.text == text
    assert [text[s:e] for s, e in doc.sentences] == [
        "Police fired tear gas at protesters in Nairobi.",
        "Two people were injured.",
    ]
    assert doc.warnings == []


@pytest.mark.slow
def test_stage_stops_on_text_that_is_not_english(stage: Stage) -> None:
    text = (
        "Des hommes armés ont tué deux soldats dans la ville, selon l'armée et les autorités "
        "locales qui ont confirmé le bilan de cette attaque."
    )
    doc = stage(_doc(text))
    assert doc.language == "fr"
    assert doc.spacy_doc is None and doc.sentences == []
    assert doc.warnings == [
        "article looks like it is not English (detected: fr); no events extracted"
    ]


@pytest.mark.slow
def test_stage_uses_the_article_text_when_nothing_was_cleaned(stage: Stage) -> None:
    doc = stage(Document(article=Article(id="t", text="Soldiers fired on the crowd.")))
    assert doc.text == "Soldiers fired on the crowd."
    assert doc.sentences == [(0, len(doc.text))]


@pytest.mark.slow
def test_ruler_marks_dictionary_names_and_the_model_labels_the_rest() -> None:
    nlp = load_spacy(PipelineConfig())
    assert nlp.pipe_names[0] == RULER_NAME
    sd = nlp("Tahrir al-Sham Hay'at fighters attacked a base in Idlib on Tuesday, 29 May 2018.")
    actors = [(e.text, e.ent_id_) for e in sd.ents if e.label_ == "ACTOR"]
    assert actors == [("Tahrir al-Sham Hay'at", "HTS: Hayat Tahrir al Sham")]
    assert any(e.label_ == "DATE" for e in sd.ents)


@pytest.mark.slow
def test_spacy_pipeline_is_loaded_once_per_config() -> None:
    assert load_spacy(PipelineConfig()) is load_spacy(PipelineConfig())


# -- the actor ruler -----------------------------------------------------------------------------


def _table(*phrases: tuple[tuple[str, ...], bool, str, str | None]) -> PhraseTable:
    table = PhraseTable()
    table.add(phrases)
    return table


def test_phrase_table_matches_lower_cased_phrases_and_exact_acronyms() -> None:
    table = _table(
        (("Nusra", "Front"), False, "ACTOR", "HTS"),
        (("IS",), True, "ACTOR", "IS"),
        (("Nusra",), False, "ACTOR", "Nusra"),
    )
    words = ["NUSRA", "Front", "is", "not", "IS"]
    assert sorted(table.find(words, [w.lower() for w in words])) == [
        (0, 0, 2), (1, 4, 5), (2, 0, 1),
    ]
    assert len(table) == 3 and table.labels == [("ACTOR", "HTS"), ("ACTOR", "IS"), ("ACTOR", "Nusra")]


def test_phrase_table_keeps_every_id_of_a_shared_name_in_the_order_added() -> None:
    table = _table(
        (("gendarmerie",), False, "ACTOR", "@military:Mali:Gendarmerie"),
        (("gendarmerie",), False, "ACTOR", "@police:Niger:Gendarmerie"),
        (("gendarmerie",), False, "ACTOR", "@military:Mali:Gendarmerie"),
    )
    assert table.find(["Gendarmerie"], ["gendarmerie"]) == [(0, 0, 1), (1, 0, 1)]
    assert len(table) == 2


@pytest.mark.slow
def test_ruler_finds_what_spacys_entity_ruler_finds() -> None:
    """The ruler stands in for spaCy's entity_ruler fed the same patterns (phrases on LOWER,
    acronyms on ORTH); only which id a name several actors share gets may differ."""
    import spacy

    from eventcoder.actors import load_actors

    actors = load_actors()
    nlp = load_spacy(PipelineConfig())
    reference = spacy.blank("en")
    reference.tokenizer = nlp.tokenizer
    entity_ruler = reference.add_pipe(
        "entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True}
    )
    entity_ruler.add_patterns(actors.ruler_patterns(nlp.tokenizer))
    ruler = nlp.get_pipe(RULER_NAME)
    texts = [
        "Tahrir al-Sham Hay'at fighters and ISIS-K clashed with the Syrian army near Idlib.",
        "HTS and JABHAT AL-NUSRA said the IS claim is false; the Gendarmerie arrested two.",
        "Members of al-Shabaab and Boko Haram, Hayat Tahrir al Sham and the Houthis.",
        "",
    ]
    for text in texts:
        ours, theirs = ruler(nlp.make_doc(text)), entity_ruler(nlp.make_doc(text))
        assert [(e.start, e.end, e.label_) for e in ours.ents] == [
            (e.start, e.end, e.label_) for e in theirs.ents
        ]
        for mine, other in zip(ours.ents, theirs.ents):
            options = actors.alternatives(mine.text) or (other.ent_id_,)
            assert mine.ent_id_ in options
    sd = ruler(nlp.make_doc("Jabhat al-Nusra and the Gendarmerie"))
    assert [(e.text, e.ent_id_) for e in sd.ents][0] == ("Jabhat al-Nusra", "HTS: Hayat Tahrir al Sham")


@pytest.mark.slow
def test_a_headline_and_blank_lines_end_sentences(stage: Stage) -> None:
    text = ("Teenager shot dead as protests spread\n\nPolice fired tear gas in Nairobi\n\n"
            "Officers arrested 23 people.")
    doc = stage(_doc(text))
    assert [text[s:e].strip() for s, e in doc.sentences] == [
        "Teenager shot dead as protests spread",
        "Police fired tear gas in Nairobi",
        "Officers arrested 23 people.",
    ]


@pytest.mark.slow
def test_a_single_line_break_inside_the_body_is_no_sentence_end(stage: Stage) -> None:
    text = "Police said the attack on the convoy near the town\nkilled two soldiers."
    doc = stage(_doc(text))
    assert len(doc.sentences) == 1


@pytest.mark.slow
def test_a_lower_case_word_after_a_place_s_areas_continues_the_sentence(stage: Stage) -> None:
    # the parser used to end a sentence at the bracket, cutting the blast from its place
    text = ("On Monday, in Kwenzari town (Pyapon district, Ayeyarwady region) a parcel bomb "
            "went off outside a clinic. Nobody was hurt.")
    doc = stage(_doc(text))
    assert [text[s:e] for s, e in doc.sentences] == [
        "On Monday, in Kwenzari town (Pyapon district, Ayeyarwady region) a parcel bomb "
        "went off outside a clinic.",
        "Nobody was hurt.",
    ]


@pytest.mark.slow
def test_a_capitalised_sentence_after_a_bracket_still_starts_one(stage: Stage) -> None:
    text = "Police dispersed a march in Gulu (Northern region). Three people were detained."
    doc = stage(_doc(text))
    assert len(doc.sentences) == 2
