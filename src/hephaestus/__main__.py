"""`python -m hephaestus` runs the CLI."""

from hephaestus.cli import main

if __name__ == "__main__":
    main()
