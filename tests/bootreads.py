"""Which config.boot texts a step reads back: ``read_sizes(monkeypatch)`` records the length
of every text given to ``bootfile.load_boot`` (the real reader still reads each)."""
from __future__ import annotations


def read_sizes(monkeypatch) -> list[int]:
    """The length of every text read back from now on, in order."""
    from nos_shell.config import bootfile

    sizes: list[int] = []
    real = bootfile.load_boot

    def counting(text: str, *args, **kwargs):
        sizes.append(len(text))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(bootfile, "load_boot", counting)
    return sizes
