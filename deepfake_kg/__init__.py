"""deepfake-kg: a knowledge graph of deepfake abuse and the criminal law that does or does not reach it."""

__version__ = "0.1.0"
