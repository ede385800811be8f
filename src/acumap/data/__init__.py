"""The data files read and checked, and the words: typed models of data/*.toml, the loader that checks
each file and the files against each other (one DataError line naming file, entry and field), the
quantities and units a plan reports in, anatomical positions, and the strings files (en, ru).

Layer 0: imports nothing else from acumap."""
