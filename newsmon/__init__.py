"""newsmon: monitor how the Vietnamese press covers gender-equality work.

The shared core: settings, the data model, text normalisation, the query tree and
the store backends. The stages (``crawler``, ``nlp``, ``api``, ``digest``) only meet
through the store.
"""

__version__ = "0.1.0"
