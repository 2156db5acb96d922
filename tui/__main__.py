from tui.cli import main

if __name__ == "__main__":  # not when a worker process imports it (multiprocessing's forkserver/spawn)
    raise SystemExit(main())
