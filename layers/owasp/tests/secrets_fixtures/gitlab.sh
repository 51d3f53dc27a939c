#!/bin/sh
# positive
curl --header "PRIVATE-TOKEN: @@GITLAB@@" https://gitlab.example.com/api/v4/projects
# placeholder
curl --header "PRIVATE-TOKEN: glpat-xxxxxxxxxxxxxxxxxxxx" https://gitlab.example.com/api/v4/projects
