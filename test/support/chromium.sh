#!/bin/sh
# Starts Chromium (TOSS_PAY_CHROMIUM) with every --disable-features it is given merged into one.
# Chromium keeps only the last one, and Playwright passes its own list before the tests' (see
# launchChromium in browser.ts); this keeps both. `exec`: Chromium takes this process's place.
features=
for arg do
  shift
  case $arg in
    --disable-features=*) features="${features:+$features,}${arg#--disable-features=}" ;;
    *) set -- "$@" "$arg" ;;
  esac
done
exec "${TOSS_PAY_CHROMIUM:?}" "$@" ${features:+"--disable-features=$features"}
