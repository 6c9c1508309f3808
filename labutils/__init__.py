"""labutils: the plumbing shared by the chapters of *NLP in TensorFlow, executable*.

Modules (import the one you need; importing ``labutils`` itself does no work):

- :mod:`labutils.data`     datasets: registry, verified downloads, synthetic samples
- :mod:`labutils.params`   checks for a chapter's parameters cell
- :mod:`labutils.seed`     seeding for repeatable runs
- :mod:`labutils.plots`    training-history plots
- :mod:`labutils.env`      what this run executes on (TF, Keras, device)
- :mod:`labutils.results`  the results ledger that tests and the results page read; course-scale records
- :mod:`labutils.report`   tables of a ledger for the results page and the benchmarks
- :mod:`labutils.colab`    the Colab install cell's TensorFlow Datasets repair
- :mod:`labutils.timing`   seconds per epoch
- :mod:`labutils.embeddings` projector export and nearest neighbours of word vectors
- :mod:`labutils.glove`    GloVe vectors and embedding matrices (chapter 8)
- :mod:`labutils.generation` n-gram sequences, sampling, generation loops, perplexity (chapters 9-10)
- :mod:`labutils.char_generation` character-level generation carrying the RNN state (chapter 11)
"""

__version__ = "0.1.0"
