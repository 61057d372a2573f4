package emu

import (
	"slices"
	"sync"
	"testing"
)

// TestUsers: every user is shown through view, with its key, ordered by id,
// and the lock is released afterwards.
func TestUsers(t *testing.T) {
	var mu sync.Mutex
	users := map[string]string{"b": "Bob", "c": "Carol", "a": "Alice"}
	got := Users(&mu, users, func(id, name string) UserView { return UserView{ID: id, Name: name} })
	want := []UserView{{ID: "a", Name: "Alice"}, {ID: "b", Name: "Bob"}, {ID: "c", Name: "Carol"}}
	if !slices.Equal(got, want) {
		t.Errorf("Users = %+v, want %+v", got, want)
	}
	if !mu.TryLock() {
		t.Error("the lock is still held")
	}
}
