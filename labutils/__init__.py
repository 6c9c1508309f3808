"""labutils: the plumbing shared by the chapters of *NLP in TensorFlow, executable*.

Modules (import the one you need; importing ``labutils`` itself does no work):

- :mod:`labutils.data`     datasets: registry, verified downloads, synthetic samples, GloVe
  vectors (chapter 1; GloVe in chapter 8)
- :mod:`labutils.params`   checks for a chapter's parameters cell (chapter 1)
- :mod:`labutils.seed`     seeding for repeatable runs (chapter 1)
- :mod:`labutils.plots`    length and training-history plots (chapters 1 and 2)
- :mod:`labutils.env`      what this run executes on: TF, Keras, device (chapter 1)
- :mod:`labutils.results`  the results ledger and the course-scale records (chapters 1 and 2)
- :mod:`labutils.timing`   seconds per epoch (chapter 2)
- :mod:`labutils.embeddings` projector export and nearest neighbours of word vectors (chapter 2)
- :mod:`labutils.report`   tables of a ledger for the results page and the benchmarks (appendix)
- :mod:`labutils.colab`    the TensorFlow Datasets repair the Colab install cell runs (every chapter)

Two modules are not plumbing but lesson code, kept once for reuse:

- :mod:`labutils.generation` the n-gram, sampling, generation and perplexity functions that
  chapter 9 teaches in its cells tagged ``save``, to the letter (a test checks it), for
  chapter 10 to import
- :mod:`labutils.glove_matrix` the embedding matrix filled from GloVe that chapter 8 teaches
  in its ``save`` cells, likewise, for chapter 12
"""

__version__ = "0.1.0"
