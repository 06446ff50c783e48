"""The compiled parts of Lytter (the matcher's inner loops, in Cython); the rest of the
package is described in pyproject.toml."""

from Cython.Build import cythonize
from setuptools import Extension, setup

setup(
    ext_modules=cythonize(
        [
            Extension("lytter.text.spellings", ["src/lytter/text/spellings.pyx"]),
            Extension("lytter.querylang.program", ["src/lytter/querylang/program.pyx"]),
        ],
        compiler_directives={"language_level": "3"},
    )
)
