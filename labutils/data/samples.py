"""Synthetic sample data: small, deterministic, learnable stand-ins for the real corpora.

Introduced in chapter 1 (tokenization). The loaders in :mod:`labutils.data` use these only
when the real data cannot be had (or ``LABUTILS_DATA_SOURCE=sample``), and say so loudly.
Each generator returns the same types as its real loader, and carries a signal a small
model can learn: sentiment and sarcasm cue words that agree with the label most of the
time, and verse built from a few line patterns with fixed word pairings.
"""

from __future__ import annotations

import string
import zlib

import numpy as np

# --- sentiment (IMDB-like reviews) -------------------------------------------------------
POSITIVE = (
    "brilliant wonderful superb moving delightful masterful charming gripping beautiful "
    "touching hilarious memorable stunning clever excellent enjoyable fantastic gorgeous "
    "heartfelt inspired"
).split()
NEGATIVE = (
    "awful boring dull tedious clumsy terrible painful lifeless forgettable predictable "
    "wooden bland mediocre annoying pointless messy weak confusing shallow disappointing"
).split()
FILLER = (
    "the the the a a an and and of of to to in it it is is was this that with for as on "
    "movie film story plot actor actress director scene scenes character characters script "
    "music ending camera cast role performance dialogue screen audience time minutes hour "
    "first second last whole part moment way life world people man woman family friend "
    "watch watched see saw seen think thought feel felt look looks make made seems seemed "
    "really quite very rather just also even still never ever again back there here "
    "about after before during while when where which who what how why all some most "
    "his her their its our my your one two three years night day house city war love "
    "i you he she they we me him them be been being have has had do does did can could"
).split()

# --- sarcasm-like headlines -------------------------------------------------------------
SARCASTIC_CUES = (
    "area man nation local unsure finally somehow entire announces heroically "
    "frantically reportedly totally apparently desperate proudly confused"
).split()
NEWS_CUES = (
    "trump says senate study police court climate report officials plans warns "
    "budget election health vote launches"
).split()
HEADLINE_FILLER = (
    "the a of to in for on with at after from new over about his her their your this "
    "year day week time people world home school family job life water money phone car "
    "dog city state country house house party team game show video film book food "
    "kids parents friends women men workers students doctors scientists americans "
    "first last every more most still just now again why how what"
).split()

# --- tweets (Sentiment140-like) ---------------------------------------------------------
TWEET_POSITIVE = (
    "love great happy awesome thanks good fun nice best lol yay excited glad amazing "
    "beautiful cool haha enjoy wonderful sweet"
).split()
TWEET_NEGATIVE = (
    "sad miss sucks hate tired sick bored ugh sorry bad hurts lost wish worst stupid poor "
    "cry crying headache broke"
).split()
TWEET_FILLER = (
    "i i i i my my me me you you u the the the a a to to to and and is is it it in for of "
    "on at so so just just im today now day going got work go get back home night morning "
    "tomorrow time still really too all up out with this that have was be its not no but "
    "what off new one can dont some lunch school twitter weekend watching well gonna much "
    "know think want need see last first week friday sunday tonight bed sleep coffee phone "
    "movie music song show class game rain sun summer house car mom dad friends guys"
).split()
# Replies start with an @handle; TextVectorization keeps it as a word ("jenny82") that no
# pretrained vocabulary has, as with the real tweets' user names.
TWEET_HANDLES = [
    f"@{name}{number}"
    for name in ("jenny", "mike", "sarah", "tom", "katie", "dave", "lisa", "chris")
    for number in (7, 23, 82, 99)
]

# --- news articles in five categories (BBC-like) -----------------------------------------
# In the real dataset's order of size: 511 sport, 510 business, 417 politics, 401 tech and
# 386 entertainment articles out of 2,225.
NEWS_CATEGORIES = {
    "sport": (
        511,
        "match coach season championship goal striker league cup injury squad "
        "tennis rugby football referee olympic athletics captain tournament",
    ),
    "business": (
        510,
        "shares profits firm market economy investors bank sales growth "
        "prices oil chief deal stock quarter dollar euro merger",
    ),
    "politics": (
        417,
        "election minister party labour tory government vote campaign mps "
        "blair brown parliament policy lords howard council reform",
    ),
    "tech": (
        401,
        "software users mobile broadband internet computer digital phones "
        "online network microsoft security games technology gadget virus web",
    ),
    "entertainment": (
        386,
        "film music band album award actor singer festival chart "
        "oscar star tv show director comedy box office",
    ),
}
# A cue word that does not agree with its article's label most often comes from the nearest
# category, so the pairs below get confused more than the others, as in real news.
NEWS_NEIGHBOURS = {
    "sport": "entertainment",
    "business": "politics",
    "politics": "business",
    "tech": "business",
    "entertainment": "tech",
}
NEWS_FILLER = (
    "the the the the the of of of of to to to and and and a a a in in in that is for it "
    "was on with he as at by be has have had are not but from they this his which will would "
    "said said says also new year years people last first two more one up after about over "
    "told its their been were than who there could now time world week month uk britain "
    "country number part next made make take well back way many some most much still just "
    "group plans report news per cent million top day end set public recent early later"
).split()


# --- verse (sonnet-like and lyric-like lines) ------------------------------------------
SONNET_WORDS = {
    "pairs": [
        ("fair", "rose"),
        ("sweet", "love"),
        ("golden", "sun"),
        ("silent", "night"),
        ("bright", "eyes"),
        ("cruel", "time"),
        ("tender", "heart"),
        ("proud", "summer"),
        ("pale", "moon"),
        ("dear", "friend"),
        ("wanton", "youth"),
        ("lovely", "face"),
        ("barren", "winter"),
        ("gentle", "muse"),
        ("fading", "beauty"),
        ("true", "mind"),
    ],
    "verbs": [
        ("doth", "shine"),
        ("shall", "fade"),
        ("must", "die"),
        ("doth", "grow"),
        ("shall", "live"),
        ("can", "sing"),
        ("will", "weep"),
        ("doth", "sleep"),
    ],
    "openers": ["when", "o", "and", "but", "then", "yet", "for", "so"],
    "links": ["of", "in", "with", "upon", "like"],
}
LYRIC_WORDS = {
    "pairs": [
        ("bonny", "lass"),
        ("green", "glen"),
        ("wild", "mountain"),
        ("old", "town"),
        ("rocky", "road"),
        ("lonely", "shore"),
        ("dark", "water"),
        ("merry", "fiddler"),
        ("gallant", "soldier"),
        ("pretty", "maid"),
        ("rolling", "sea"),
        ("silver", "moon"),
        ("fine", "morning"),
        ("cold", "wind"),
        ("sweet", "galway"),
        ("bold", "rover"),
    ],
    "verbs": [
        ("did", "wander"),
        ("will", "go"),
        ("did", "sing"),
        ("shall", "roam"),
        ("did", "dance"),
        ("will", "come"),
        ("did", "weep"),
        ("will", "return"),
    ],
    "openers": ["come", "oh", "and", "as", "then", "now", "for", "so"],
    "links": ["by", "to", "in", "from", "near"],
}


def _rng(name: str, seed: int) -> np.random.Generator:
    """A generator whose stream depends only on the sample's name and ``seed``."""
    return np.random.default_rng([zlib.crc32(name.encode()), seed])


def _labelled_texts(
    rng, n, cues, filler, length_range, cue_rate, cue_accuracy, label_noise, positive_fraction
):
    """Return ``(word_lists, labels)``: filler words with label-dependent cue words planted."""
    labels = (rng.random(n) < positive_fraction).astype(np.int64)
    lengths = rng.integers(*length_range, size=n)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    words = np.asarray(filler, dtype=object)[rng.integers(len(filler), size=lengths.sum())]
    cues_per_text = 1 + rng.poisson(cue_rate * lengths)
    owner = np.repeat(np.arange(n), cues_per_text)
    agrees = rng.random(owner.size) < cue_accuracy
    cue_class = np.where(agrees, labels[owner], 1 - labels[owner])
    pick = rng.random(owner.size)
    positions = starts[owner] + (rng.random(owner.size) * lengths[owner]).astype(np.int64)
    for cls in (0, 1):
        pool = np.asarray(cues[cls], dtype=object)
        chosen = cue_class == cls
        words[positions[chosen]] = pool[(pick[chosen] * len(pool)).astype(np.int64)]
    flipped = rng.random(n) < label_noise
    labels = np.where(flipped, 1 - labels, labels)
    return np.split(words, starts[1:]), labels


def imdb_reviews(split: str = "train", n: int = 25_000, seed: int = 0):
    """Return ``(texts, labels)``: synthetic movie reviews, 1 = positive.

    About 6% of a review's words are sentiment cues that agree with its label 80% of the
    time, and 5% of labels are flipped, so a small bag-of-words model reaches roughly 90%
    accuracy, never 100%.

    Examples
    --------
    >>> texts, labels = imdb_reviews("test", n=3)
    >>> len(texts), sorted(set(labels) | {0, 1})
    (3, [0, 1])
    """
    rng = _rng(f"imdb_reviews/{split}", seed)
    word_lists, labels = _labelled_texts(
        rng, n, (NEGATIVE, POSITIVE), FILLER, (30, 160), 0.06, 0.8, 0.05, 0.5
    )
    texts = []
    for words in word_lists:
        sentences = [words[i : i + 12] for i in range(0, len(words), 12)]
        texts.append(" ".join(" ".join(s).capitalize() + "." for s in sentences))
    return texts, labels.tolist()


def sarcasm_headlines(n: int = 26_709, seed: int = 0):
    """Return ``(headlines, labels)``: synthetic lower-case headlines, 1 = sarcastic.

    Each headline carries one to three cue words that agree with its label 80% of the time;
    44% of headlines are sarcastic, as in the real dataset.

    Examples
    --------
    >>> headlines, labels = sarcasm_headlines(n=2)
    >>> all(h == h.lower() for h in headlines)
    True
    """
    rng = _rng("sarcasm", seed)
    word_lists, labels = _labelled_texts(
        rng, n, (NEWS_CUES, SARCASTIC_CUES), HEADLINE_FILLER, (6, 15), 0.08, 0.8, 0.05, 0.44
    )
    return [" ".join(words) for words in word_lists], labels.tolist()


def tweets(split: str = "train", n: int | None = None, seed: int = 0):
    """Return ``(texts, polarities)``: synthetic lower-case tweets on Sentiment140's scale.

    Polarity 0 is negative and 4 positive, half of each; ``"test"`` also has tweets of
    polarity 2 (neutral) without sentiment words, as the real test set does. Each tweet has
    4 to 21 words, at least one sentiment word that agrees with its polarity 80% of the
    time, and 10% of polarities are flipped (the real labels come from emoticons and are
    noisy too), so a small model reaches roughly 75% accuracy, never 100%. A third of the
    tweets reply to an @handle. ``n`` defaults to 160,000 for ``"train"`` (the course's
    subset, not the real 1.6 million) and 500 for ``"test"`` (the real one has a few
    hundred). Introduced in chapter 8.

    Examples
    --------
    >>> texts, polarities = tweets("train", n=4)
    >>> len(texts), set(polarities) <= {0, 4}
    (4, True)
    """
    if split not in ("train", "test"):
        raise ValueError(f"tweets split must be 'train' or 'test', got {split!r}.")
    n = (160_000 if split == "train" else 500) if n is None else n
    rng = _rng(f"tweets/{split}", seed)
    word_lists, labels = _labelled_texts(
        rng, n, (TWEET_NEGATIVE, TWEET_POSITIVE), TWEET_FILLER, (4, 22), 0.05, 0.8, 0.1, 0.5
    )
    polarities = 4 * labels
    if split == "test":  # about a quarter neutral: filler words only
        neutral = np.flatnonzero(rng.random(n) < 0.28)
        polarities[neutral] = 2
        filler = np.asarray(TWEET_FILLER, dtype=object)
        for i in neutral:
            word_lists[i] = filler[rng.integers(len(filler), size=len(word_lists[i]))]
    replies = rng.random(n) < 1 / 3
    handles = rng.integers(len(TWEET_HANDLES), size=n)
    texts = [
        (f"{TWEET_HANDLES[h]} " if reply else "") + " ".join(words)
        for words, reply, h in zip(word_lists, replies, handles)
    ]
    return texts, polarities.tolist()


def bbc_articles(n: int = 2_225, seed: int = 0):
    """Return ``(texts, categories)``: synthetic lower-case news articles in five categories.

    Mostly common words (half of them stopwords such as "the" and "of"), with about one word
    in 30 a topic cue: 70% of cues belong to the article's category, 20% to the category most
    often confused with it, the rest to any. 3% of labels are flipped. A small pooling model
    reads them right about 90% of the time, never always. Same types as the real loader.

    Examples
    --------
    >>> texts, categories = bbc_articles(n=3)
    >>> len(texts), set(categories) <= set(NEWS_CATEGORIES)
    (3, True)
    """
    rng = _rng("bbc_news", seed)
    names = list(NEWS_CATEGORIES)
    shares = np.array([NEWS_CATEGORIES[name][0] for name in names], dtype=float)
    cues = [NEWS_CATEGORIES[name][1].split() for name in names]
    labels = rng.choice(len(names), size=n, p=shares / shares.sum())
    texts = []
    for label in labels:
        length = int(rng.integers(120, 520))
        words = np.asarray(NEWS_FILLER, dtype=object)[rng.integers(len(NEWS_FILLER), size=length)]
        positions = np.flatnonzero(rng.random(length) < 1 / 30)
        draw = rng.random(positions.size)
        neighbour = names.index(NEWS_NEIGHBOURS[names[label]])
        sources = np.where(
            draw < 0.7,
            label,
            np.where(draw < 0.9, neighbour, rng.integers(len(names), size=positions.size)),
        )
        for position, source in zip(positions, sources):
            words[position] = cues[source][int(rng.integers(len(cues[source])))]
        sentences = [" ".join(words[i : i + 18]) for i in range(0, length, 18)]
        texts.append(".  ".join(sentences) + ".")
    flipped = rng.random(n) < 0.03
    labels = np.where(flipped, rng.integers(len(names), size=n), labels)
    return texts, [names[label] for label in labels]


def _verse_line(rng, words) -> str:
    adjective, noun = words["pairs"][int(rng.integers(len(words["pairs"])))]
    adjective2, noun2 = words["pairs"][int(rng.integers(len(words["pairs"])))]
    auxiliary, verb = words["verbs"][int(rng.integers(len(words["verbs"])))]
    auxiliary2, verb2 = words["verbs"][int(rng.integers(len(words["verbs"])))]
    opener = str(rng.choice(words["openers"]))
    link = str(rng.choice(words["links"]))
    patterns = [
        [opener, "the", adjective, noun, auxiliary, verb],
        [opener, "the", adjective, noun, link, "the", adjective2, noun2],
        ["the", adjective, noun, auxiliary, verb, link, "the", noun2],
        [opener, adjective, noun, auxiliary, verb, "and", auxiliary2, verb2],
    ]
    return " ".join(patterns[int(rng.integers(len(patterns)))])


def verse(kind: str = "sonnets", n_lines: int = 1_200, seed: int = 0) -> list[str]:
    """Return ``n_lines`` synthetic verse lines (``kind`` is ``"sonnets"`` or ``"lyrics"``).

    Lines follow four patterns over fixed adjective–noun and auxiliary–verb pairs, so the
    next word is often predictable: a next-word model learns it quickly.

    Examples
    --------
    >>> verse("sonnets", n_lines=2, seed=1) == verse("sonnets", n_lines=2, seed=1)
    True
    """
    words = {"sonnets": SONNET_WORDS, "lyrics": LYRIC_WORDS}[kind]
    rng = _rng(f"verse/{kind}", seed)
    lines = [_verse_line(rng, words) for _ in range(n_lines)]
    return [line[0].upper() + line[1:] for line in lines]


def play_text(split: str = "train", seed: int = 0) -> str:
    """Return a synthetic play script (speaker headings and verse) for character models.

    Roughly 200,000 characters for ``train`` and 20,000 for ``validation`` and ``test``.
    """
    speakers = ["FIRST CITIZEN", "ROMEO", "JULIET", "KING HENRY", "NURSE", "MERCUTIO"]
    target = 200_000 if split == "train" else 20_000
    rng = _rng(f"play/{split}", seed)
    parts, size = [], 0
    while size < target:
        speech = [_verse_line(rng, SONNET_WORDS) for _ in range(int(rng.integers(1, 4)))]
        block = (
            f"{rng.choice(speakers)}:\n"
            + "\n".join(line[0].upper() + line[1:] + "," for line in speech)
            + "\n\n"
        )
        parts.append(block)
        size += len(block)
    return "".join(parts)


def subword_vocab() -> list[str]:
    """Return a WordPiece-style vocabulary for the sample reviews.

    ``[PAD]`` and ``[UNK]`` first, then single characters, ``##``-continuations and whole
    words, like the course's ``imdb_vocab_subwords.txt``.
    """
    singles = sorted(set(string.punctuation + string.digits + string.ascii_lowercase))
    continuations = [f"##{c}" for c in string.ascii_lowercase] + ["##s", "##ed", "##ing", "##ly"]
    words = sorted(set(POSITIVE + NEGATIVE + FILLER) - set(singles))
    return ["[PAD]", "[UNK]"] + singles + sorted(set(continuations)) + words


# --- word vectors (GloVe-like) ----------------------------------------------------------
ANALOGIES = [  # a is to b as c is to d, planted as offsets: d = b - a + c (plus a little noise)
    ("man", "king", "woman", "queen"),
    ("france", "paris", "italy", "rome"),
    ("good", "better", "bad", "worse"),
    ("walk", "walked", "swim", "swam"),
    ("japan", "tokyo", "germany", "berlin"),
    ("man", "doctor", "woman", "physician"),
]
EXTRA_WORDS = "frog toad funny hilarious sarcasm irony onion garlic".split()


def word_vectors(dim: int = 50, seed: int = 0):
    """Return ``(words, vectors)``: synthetic 50-d vectors for the sample headlines' words.

    Every word of :func:`sarcasm_headlines` and :func:`tweets` has a random vector; so do the words chapter 8
    looks up, and the analogies it asks (king - man + woman, ...) are planted as offsets, so
    that the method can be shown. Nothing else about real word meaning is in them.

    Examples
    --------
    >>> words, vectors = word_vectors()
    >>> vectors.shape == (len(words), 50) and "queen" in words
    True
    """
    rng = _rng("word_vectors", seed)
    planted = [analogy[3] for analogy in ANALOGIES]
    base = [
        w
        for w in dict.fromkeys(
            HEADLINE_FILLER
            + SARCASTIC_CUES
            + NEWS_CUES
            + EXTRA_WORDS
            + [w for analogy in ANALOGIES for w in analogy[:3]]
        )
        if w not in planted
    ]
    table = {word: rng.normal(0.0, 0.4, dim) for word in base}
    for a, b, c, d in ANALOGIES:
        table[d] = table[b] - table[a] + table[c] + rng.normal(0.0, 0.05, dim)
    # The sample tweets' words (not their @handles), from a stream of their own so that the
    # vectors above stay as they were.
    tweet_rng = _rng("word_vectors/tweets", seed)
    for word in dict.fromkeys(TWEET_FILLER + TWEET_POSITIVE + TWEET_NEGATIVE):
        if word not in table:
            table[word] = tweet_rng.normal(0.0, 0.4, dim)
    words = list(table)
    return words, np.asarray([table[w] for w in words], dtype=np.float32)
