import sys
import yaml


def load_settings(path):
    with open(path) as fh:
        return yaml.safe_load(fh)


if __name__ == "__main__":
    print(load_settings(sys.argv[1]))
