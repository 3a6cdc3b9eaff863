// Command etcd is etcd's own server entry point, built from go.etcd.io/etcd/server/v3 so that the
// version is pinned by this module's go.mod (etcd's server module cannot be `go build`-ed by path
// from outside its repository: its go.mod has local replace directives).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
