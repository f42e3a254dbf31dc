# fish completion for oomtop(8): the commands (from `oomtop --help`), each
# command's options (from `oomtop CMD --help`, so they follow the binary),
# sort keys, user names, PIDs, files and memory cgroups, as the bash
# completion (oomtop.bash) offers them.  Installed as
# share/fish/vendor_completions.d/oomtop.fish.

# The sort keys of top -s (include/rank.h RANK_KEY_NAMES).
set -g __oomtop_sort_keys badness score adj rss swap pid comm user

# Prints the commands of `$argv[1] --help`, "NAME<tab>summary" a line.
function __oomtop_commands
    set -l in 0
    for line in ($argv[1] --help 2>/dev/null)
        if test "$line" = Commands:
            set in 1
        else if test $in = 1
            string match -rq '^  [a-z]' -- $line; or break
            string replace -r '^  ([a-z]+) +' '$1\t' -- $line
        end
    end
end

# Prints the options of `$argv[1] $argv[2] --help`, "OPT<tab>V<tab>summary" a
# line: -x and --long, V "=" when the option takes a value, else "".
function __oomtop_options
    set -l rows
    for line in ($argv[1] $argv[2] --help 2>/dev/null)
        test "$line" = "Help options:"; and break
        set -l m (string match -r '^ {2,6}((?:-[a-zA-Z?], )?)(--[a-z][a-z-]*)(=?)\S* *(.*)$' -- $line)
        if test (count $m) -eq 0
            # a summary's next line: joined to the option's (or both: -x and --long)
            if test (count $rows) -gt 0; and string match -qr '^ {7,}\S' -- $line
                set -l more (string trim -- $line)
                set rows[-1] "$rows[-1] $more"
                test (count $rows) -gt 1; and string match -qr -- '^-[^-]\t' $rows[-2]
                and set rows[-2] "$rows[-2] $more"
            end
            continue
        end
        set -l short (string replace -r ', $' '' -- $m[2])
        test -n "$short"; and set -a rows (printf '%s\t%s\t%s' $short $m[4] $m[5])
        set -a rows (printf '%s\t%s\t%s' $m[3] $m[4] $m[5])
    end
    printf '%s\n' $rows
    printf '%s\t\t%s\n' --help "show this help"
end

# Prints the options of __oomtop_options's lines $argv as offered, with their
# summaries: --long= keeps its '=' (fish adds no space after it), -x= loses it.
function __oomtop_offer
    for row in $argv
        set -l f (string split \t -- $row)
        if test -n "$f[2]"; and string match -q -- '--*' $f[1]
            printf '%s=\t%s\n' $f[1] $f[3]
        else
            printf '%s\t%s\n' $f[1] $f[3]
        end
    end
end

# Completes a memory cgroup path as /proc/PID/cgroup shows it, or its directory.
function __oomtop_cgroups
    set -l cur $argv[1]
    if string match -q '/sys/*' -- $cur
        __fish_complete_directories $cur
        return
    end
    # the memory hierarchy: a v1 mount with the memory controller, else cgroup2
    set -l base
    set -l v2
    while read -l dev mnt type opts rest
        if test "$type" = cgroup; and string match -q '*,memory,*' -- ",$opts,"
            set base $mnt
            break
        end
        test "$type" = cgroup2; and test -z "$v2"; and set v2 $mnt
    end </proc/self/mounts
    test -n "$base"; or set base $v2
    test -n "$base"; or return
    test -n "$cur"; or set cur /
    for d in $base$cur*/
        string replace -r '/$' '' -- (string sub -s (math (string length -- $base) + 1) -- $d)
    end
end

# Prints the values of option $argv[1] that complete the word $argv[2].
function __oomtop_value
    set -l opt $argv[1]
    set -l cur $argv[2]
    # a comma-separated list (-u for protect, -p): complete its last item
    set -l head (string match -r '^.*,' -- $cur)
    switch $opt
        case -s --sort
            printf '%s\n' $__oomtop_sort_keys
        case -u --user
            __fish_complete_users | string replace -r '^' "$head"
        case -p --pid
            __fish_complete_pids | string replace -r '^' "$head"
        case --cgroup
            __oomtop_cgroups $cur
        case --exe
            __fish_complete_path $cur
        case -f --format
            printf '%s\n' text json prometheus
        case --since
            printf '%s\n' today yesterday
        case -c --comm
            __oomtop_comms
    end
end

# Prints the names (comm) of the running processes, each once.
function __oomtop_comms
    ps -e -o comm= 2>/dev/null | sort -u
end

# Prints the completions of the command line up to the cursor.
function __oomtop_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l prog $words[1]
    if test (count $words) -eq 1
        if string match -q -- '-*' $cur
            __oomtop_offer (__oomtop_options $prog top)
            printf '%s\t%s\n' --version "print the version" -V "print the version"
        else
            __oomtop_commands $prog
        end
        return
    end
    set -l cmd $words[2]
    string match -q -- '-*' $cmd; and set cmd top
    contains -- $cmd (__oomtop_commands $prog | string replace -r '\t.*' ''); or return

    set -l table (__oomtop_options $prog $cmd)
    # the options that take a value
    set -l valued (string match -r '^[^\t]*\t=' -- $table | string replace -r '\t.*' '')

    # a value: --opt=value, or the word after an option that takes one
    if set -l m (string match -r '^(--[a-z][a-z-]*)=(.*)$' -- $cur)
        if contains -- $m[2] $valued
            __oomtop_value $m[2] $m[3] | string replace -r '^' -- "$m[2]="
        end
        return
    end
    if contains -- $words[-1] $valued
        __oomtop_value $words[-1] $cur
        return
    end

    # the operands so far: words after the command that are neither options
    # nor their values (set's ADJ may be negative)
    set -l operands
    set -l dashdash 0
    for i in (seq 3 (count $words))
        set -l w $words[$i]
        if test $dashdash = 0; and test "$w" = --
            set dashdash 1
        else if test $dashdash = 1; or not string match -q -- '-?*' $w; or begin
                test $cmd = set; and string match -qr -- '^-[0-9]+$' $w
            end
            contains -- $words[(math $i - 1)] $valued; and test $dashdash = 0; and continue
            set -a operands $w
        end
    end

    if string match -q -- '-*' $cur; and test $dashdash = 0
        and not begin
            test $cmd = set; and string match -qr -- '^-[0-9]+$' $cur
        end
        and not begin
            test $cmd = run; and test (count $operands) -gt 0
        end
        __oomtop_offer $table
        return
    end

    switch $cmd
        case explain
            test (count $operands) -eq 0; and __fish_complete_pids
        case set
            test (count $operands) -ge 1; and __fish_complete_pids
        case protect
            __oomtop_comms
        case run
            if test (count $operands) -eq 0
                __fish_complete_command $cur
            else
                __fish_complete_path $cur
            end
        case apply watch log
            test (count $operands) -eq 0; and __fish_complete_path $cur
    end
end

complete -c oomtop -f -a '(__oomtop_complete)'
