"""The optional transformers NER backend, on a tiny BERT built and trained here (never downloaded)."""

from __future__ import annotations

import os

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
if os.environ.get("NEWSMON_REQUIRE_TRANSFORMERS"):  # `make test` installs the extra: never skip there
    import tokenizers
    import torch
    import transformers
else:
    torch = pytest.importorskip("torch", reason="torch is not installed (pip install 'newsmon[transformers]')")
    transformers = pytest.importorskip("transformers",
                                       reason="transformers is not installed (pip install 'newsmon[transformers]')")
    tokenizers = pytest.importorskip("tokenizers", reason="tokenizers is not installed")

from nlp.ner_transformers import TransformersNER, merge
from nlp.normalize import sentences
from nlp.pipeline import extract

LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
# Training sentences, one label per whitespace word. The model learns them by heart.
TRAINING = [
    ("Phó Chủ tịch UBND huyện Trần Thị Minh Châu phát biểu .",
     "O O O B-ORG I-ORG B-PER I-PER I-PER I-PER O O"),
    ("Chị Lò Thị Mai và Trung tâm Công tác xã hội tham gia .",
     "O B-PER I-PER I-PER O B-ORG I-ORG I-ORG I-ORG I-ORG I-ORG O O"),
    ("Hội nghị tổ chức tại Hà Giang .", "O O O O O B-LOC I-LOC O"),
    ("Tại Yên Minh , Quỹ Hy vọng trao quà .", "O B-LOC I-LOC O B-ORG I-ORG I-ORG O O O"),
]
ARTICLE = ("Tin hoạt động\n"
           "Phó Chủ tịch UBND huyện Trần Thị Minh Châu phát biểu.\n"
           "Chị Lò Thị Mai và Trung tâm Công tác xã hội tham gia.\n"
           "Hội nghị tổ chức tại Hà Giang.\n"
           "Tại Yên Minh, Quỹ Hy vọng trao quà.")


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> str:
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import BertConfig, BertForTokenClassification, PreTrainedTokenizerFast

    torch.manual_seed(0)
    words = sorted({w for sentence, _ in TRAINING for w in sentence.split()} | {"Tin", "hoạt", "động"})
    special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = {token: i for i, token in enumerate(special + words)}
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    core.pre_tokenizer = pre_tokenizers.Whitespace()
    core.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])])
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=core, unk_token="[UNK]", pad_token="[PAD]",
                                        cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]",
                                        model_max_length=64)
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=64, num_labels=len(LABELS),
                        id2label=dict(enumerate(LABELS)), label2id={label: i for i, label in enumerate(LABELS)},
                        hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
    model = BertForTokenClassification(config)
    batch = tokenizer([s for s, _ in TRAINING], padding=True, return_tensors="pt")
    targets = torch.full(batch["input_ids"].shape, -100)
    for row, (_, labels) in enumerate(TRAINING):
        for column, label in enumerate(labels.split(), start=1):
            targets[row, column] = LABELS.index(label)
    optimiser = torch.optim.Adam(model.parameters(), lr=3e-3)
    model.train()
    for _ in range(400):
        optimiser.zero_grad()
        loss = model(**batch, labels=targets).loss
        loss.backward()
        optimiser.step()
        if loss.item() < 0.01:
            break
    model.eval()
    with torch.no_grad():
        predicted = model(**batch).logits.argmax(-1)
    assert bool(((predicted == targets) | (targets == -100)).all()), "the tiny model did not learn its labels"
    folder = tmp_path_factory.mktemp("tiny-ner")
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return str(folder)


@pytest.fixture(scope="module")
def backend(model_dir: str) -> TransformersNER:
    return TransformersNER(model_dir, min_score=0.3)


def test_backend_finds_entities_with_offsets(backend: TransformersNER) -> None:
    found = backend.entities(ARTICLE, sentences(ARTICLE))
    by_text = {e.text: e.kind for e in found}
    assert by_text["Lò Thị Mai"] == "person"
    assert by_text["Trung tâm Công tác xã hội"] == "organisation"
    assert by_text["Quỹ Hy vọng"] == "organisation"
    assert by_text["Hà Giang"] == "place"
    for entity in found:
        assert ARTICLE[entity.start:entity.end] == entity.text
        assert 0.3 <= entity.score <= 1


def test_merge_keeps_rules_and_adds_new_entities(backend: TransformersNER) -> None:
    plain = extract(ARTICLE)
    merged = extract(ARTICLE, ner=backend)
    # Rules win: the person found by the rules keeps its title and is not duplicated.
    chau = [p for p in merged.people if p.name == "Trần Thị Minh Châu"]
    assert len(chau) == 1 and chau[0].title == "Phó Chủ tịch UBND huyện" and chau[0].source is None
    # The model adds what the rules missed, marked with its source and confidence.
    new_orgs = {o.name: o for o in merged.organisations if o.source == "model"}
    assert set(new_orgs) == {"Trung tâm Công tác xã hội", "Quỹ Hy vọng"}
    assert all(0 < (o.confidence or 0) <= 1 for o in new_orgs.values())
    # "UBND huyện" overlaps a rule organisation: not added again.
    assert [o.name for o in merged.organisations if o.source is None] == [o.name for o in plain.organisations]
    # Places the rules found are not duplicated.
    assert [p.name for p in merged.places].count("Hà Giang") == [p.name for p in plain.places].count("Hà Giang")
    # Everything else is what the rules give.
    assert merged.figures == plain.figures and merged.events == plain.events
    assert merged.provinces == plain.provinces


def test_model_place_resolved_by_the_gazetteer(backend: TransformersNER) -> None:
    text = "Tin\nHội nghị tổ chức tại Hà Giang ."
    plain = extract(text)
    entities = backend.entities(text, sentences(text))
    assert any(e.kind == "place" and e.text == "Hà Giang" for e in entities)
    merged = merge(plain.model_copy(update={"places": []}), entities, sentences(text))
    place = next(p for p in merged.places if p.name == "Hà Giang")
    assert (place.level, place.province, place.source) == ("province", "Hà Giang", "model")


def test_env_var_selects_the_backend(model_dir: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSMON_NER_MODEL", model_dir)
    merged = extract(ARTICLE)
    assert any(o.source == "model" for o in merged.organisations)
    monkeypatch.delenv("NEWSMON_NER_MODEL")
    assert not any(o.source == "model" for o in extract(ARTICLE).organisations)


def test_bad_backend_is_rejected() -> None:
    from newsmon.errors import ExtractionError

    with pytest.raises(ExtractionError):
        extract(ARTICLE, ner=object())
