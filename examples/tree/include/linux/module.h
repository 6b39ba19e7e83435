/* Symbol export markers: the indexer reads them to tell an API from a file-local helper. */
#ifndef _LINUX_MODULE_H
#define _LINUX_MODULE_H

#define THIS_MODULE		((void *)0)
#define EXPORT_SYMBOL(sym)	extern typeof(sym) sym
#define EXPORT_SYMBOL_GPL(sym)	extern typeof(sym) sym

#endif
