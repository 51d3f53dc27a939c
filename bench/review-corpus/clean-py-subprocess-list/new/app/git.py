import subprocess


def head(repo, short=False):
    args = ['git', '-C', repo, 'rev-parse']
    if short:
        args.append('--short')
    args.append('HEAD')
    return subprocess.check_output(args, text=True).strip()
