"""``python -m eventwire``: the command line."""

if __name__ == "__main__":
    from eventwire.cli import main

    main()
